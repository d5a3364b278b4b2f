"""The parts of deploy/check that read files: the Dockerfile's final stage, the Kubernetes
manifests against the sidecar's config, the log shippers' configs against the log's
names. Each subcommand prints what is wrong and exits 1, or prints nothing and exits 0.

    python3 deploy/checks.py dockerfile deploy/Dockerfile          # shell assignments
    python3 deploy/checks.py runtime-libs BINARY PACKAGE…
    python3 deploy/checks.py kubernetes CONFIGMAP_OUT TREE_OUT
    python3 deploy/checks.py logging
    python3 deploy/checks.py ship LOG OUT_DIR                     # records as shippers write them
    python3 deploy/checks.py ports CONFIG                         # "LISTEN_PORT ADMIN_PORT"

Runs in deploy/check's venv (PyYAML); paths are relative to the repository root.
"""

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import yaml

CONTAINER_CONFIG = "deploy/container/outguard.yaml"
POD_CONFIG = "deploy/kubernetes/config/outguard.yaml"
SYSTEMD_UNIT = "deploy/systemd/outguard.service"
# Libraries debian:bookworm-slim already has: libc6 is essential, apt needs the others.
SLIM_BASE = {"libc6", "libgcc-s1", "libstdc++6"}

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


def finish():
    for line in problems:
        print(f"checks.py: {line}", file=sys.stderr)
    sys.exit(1 if problems else 0)


def load_yaml(path):
    with open(path, encoding="utf-8") as file:
        return yaml.safe_load(file)


def port_of(address):
    return int(str(address).rsplit(":", 1)[1])


def log_dir(config_path):
    return os.path.dirname(load_yaml(config_path)["log"]["path"])


# --- Dockerfile ---------------------------------------------------------------------


def final_stage(path):
    """(instruction, arguments) of the last stage, continuation lines joined."""
    instructions, current = [], ""
    with open(path, encoding="utf-8") as file:
        for raw in file:
            line = raw.strip()
            if line.startswith("#") or (not line and not current):
                continue
            if line.endswith("\\"):
                current += line[:-1] + " "
                continue
            current += line
            keyword, _, rest = current.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
            current = ""
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def exec_form(where, text):
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        problem(where, f"must be in exec form, a JSON list of strings: {text}")
        return []
    return value


def dockerfile(path):
    stage = final_stage(path)
    entrypoint, health, env, packages, exposed, volumes, user = [], [], [], [], [], [], ""
    for keyword, rest in stage:
        if keyword == "ENTRYPOINT":
            entrypoint = exec_form(f"{path} ENTRYPOINT", rest)
        elif keyword == "CMD":
            problem(path, "CMD: deploy/check runs the ENTRYPOINT alone; put the arguments there")
        elif keyword == "ENV":
            for pair in shlex.split(rest):
                if "=" not in pair:
                    problem(path, f"ENV: write KEY=VALUE, not {pair}")
                env.append(pair)
        elif keyword == "USER":
            user = rest
        elif keyword == "HEALTHCHECK":
            options, _, command = rest.partition("CMD ")
            health = exec_form(f"{path} HEALTHCHECK", command)
            if "--timeout=" not in options:
                problem(path, "HEALTHCHECK: give it a --timeout")
        elif keyword == "EXPOSE":
            exposed += rest.split()
        elif keyword == "VOLUME":
            volumes += json.loads(rest) if rest.startswith("[") else rest.split()
        elif keyword == "RUN" and "apt-get install" in rest:
            words = rest.split("apt-get install", 1)[1].split("&&")[0].split()
            packages += [word for word in words if not word.startswith("-")]

    # What the image's config says must agree with what the Dockerfile opens and mounts.
    config = load_yaml(CONTAINER_CONFIG)
    listen, admin = port_of(config["listen"]), port_of(config["admin"]["listen"])
    for port in (listen, admin):
        if str(port) not in exposed:
            problem(path, f"EXPOSE lacks {port}, a port of {CONTAINER_CONFIG}")
    if log_dir(CONTAINER_CONFIG) not in volumes:
        problem(path, f"VOLUME lacks {log_dir(CONTAINER_CONFIG)}, where {CONTAINER_CONFIG} logs")
    if f"/dev/tcp/127.0.0.1/{admin}" not in " ".join(health) or "/healthz" not in " ".join(health):
        problem(path, f"HEALTHCHECK must GET /healthz on 127.0.0.1:{admin}, the admin port")
    if not re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", user):
        problem(path, f"USER must be a numeric non-root uid (runAsNonRoot checks it): {user!r}")
    if "OUTGUARD_LOG_FORMAT=json" not in env:
        problem(path, "ENV lacks OUTGUARD_LOG_FORMAT=json")

    if problems:
        finish()
    quoted = lambda values: " ".join(shlex.quote(value) for value in values)
    print(f"image_entrypoint=({quoted(entrypoint)})")
    print(f"image_healthcheck=({quoted(health)})")
    print(f"image_env=({quoted(env)})")
    print(f"image_user={shlex.quote(user)}")
    print(f"image_packages=({quoted(packages)})")
    print(f"image_volume={shlex.quote(volumes[0])}")


def runtime_libs(binary, packages):
    """Every library the binary links comes from a package the image installs or has."""
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", run(["readelf", "-d", binary]))
    # ldd says "libx.so.1 => /path (…)", or only "/path (…)" for the dynamic loader.
    paths = re.findall(r"^\s*(?:\S+ => )?(/\S+) \(", run(["ldd", binary]), re.M)
    resolved = {os.path.basename(path): path for path in paths}
    allowed = set(packages) | SLIM_BASE
    for library in needed:
        path = resolved.get(library)
        if path is None:
            problem(binary, f"links {library}, which is not found")
            continue
        if "swift" in path:
            problem(binary, f"links the Swift runtime ({path}): build with --static-swift-stdlib")
            continue
        owner = None
        for candidate in (path, os.path.realpath(path)):
            found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if found.returncode == 0:
                owner = found.stdout.split(":")[0]
                break
        if owner not in allowed:
            problem(binary, f"links {library} from package {owner}, which the runtime image lacks")
    for package in packages:
        if subprocess.run(["apt-cache", "show", package], capture_output=True).returncode != 0:
            problem("deploy/Dockerfile", f"apt knows no package {package}")


def run(command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


# --- Kubernetes ---------------------------------------------------------------------


def configmap_from_files():
    """The ConfigMap deploy/README.md's `kubectl create configmap` makes: one key per
    file, named after it, from the config, rules/ and rules/lexicons/."""
    files = [POD_CONFIG]
    for folder in ("rules", "rules/lexicons"):
        files += sorted(
            os.path.join(folder, name) for name in os.listdir(folder)
            if os.path.isfile(os.path.join(folder, name)))
    data = {}
    for file in files:
        key = os.path.basename(file)
        if key in data:
            problem(file, f"two files would be the ConfigMap key {key}")
        with open(file, encoding="utf-8") as handle:
            data[key] = handle.read()
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "outguard"}, "data": data}


def kubernetes(configmap_out, tree_out):
    configmap = configmap_from_files()
    with open(configmap_out, "w", encoding="utf-8") as file:
        yaml.safe_dump(configmap, file, allow_unicode=True)
    config = load_yaml(POD_CONFIG)
    deployment = load_yaml("deploy/kubernetes/deployment.yaml")
    service = load_yaml("deploy/kubernetes/service.yaml")
    where = "deploy/kubernetes/deployment.yaml"
    pod = deployment["spec"]["template"]["spec"]

    sidecars = [c for c in pod.get("initContainers", []) if c["name"] == "outguard"]
    if len(sidecars) != 1:
        problem(where, "needs one init container named outguard")
        finish()
    sidecar = sidecars[0]
    if sidecar.get("restartPolicy") != "Always":
        problem(where, "outguard needs restartPolicy: Always (a native sidecar)")
    env = {item["name"]: item for item in sidecar.get("env", [])}
    if env.get("OUTGUARD_LOG_FORMAT", {}).get("value") != "json":
        problem(where, "outguard needs OUTGUARD_LOG_FORMAT=json")
    token_env = config["admin"].get("token_env")
    if token_env and "valueFrom" not in env.get(token_env, {}):
        problem(where, f"outguard needs {token_env} from a Secret, as admin.token_env says")

    # Probes reach the admin listener on the pod's address, the paths that need no token.
    ports = {port["name"]: port["containerPort"] for port in sidecar.get("ports", [])}
    admin_port = port_of(config["admin"]["listen"])
    if not config["admin"]["listen"].startswith(("0.0.0.0:", ":", "[::]:")):
        problem(POD_CONFIG, "admin.listen must be on every interface: kubelet probes the pod's address")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", None)):
        get = sidecar.get(probe, {}).get("httpGet")
        if get is None:
            problem(where, f"outguard needs an httpGet {probe}")
            continue
        if path and get["path"] != path:
            problem(where, f"outguard's {probe} must GET {path}")
        if ports.get(get["port"], get["port"]) != admin_port:
            problem(where, f"outguard's {probe} port is not admin.listen's {admin_port}")

    resources = sidecar.get("resources", {})
    if not {"cpu", "memory"} <= set(resources.get("requests", {})) or "memory" not in resources.get("limits", {}):
        problem(where, "outguard needs cpu and memory requests and a memory limit")
    security = sidecar.get("securityContext", {})
    if security.get("readOnlyRootFilesystem") is not True:
        problem(where, "outguard needs readOnlyRootFilesystem: true")
    if True not in (security.get("runAsNonRoot"), pod.get("securityContext", {}).get("runAsNonRoot")):
        problem(where, "the pod or outguard needs runAsNonRoot: true")

    grace_ms = config.get("timeouts", {}).get("shutdown_grace_ms", 30000)
    if pod.get("terminationGracePeriodSeconds", 30) * 1000 <= grace_ms:
        problem(where, f"terminationGracePeriodSeconds must exceed shutdown_grace_ms ({grace_ms} ms)")

    # Mounts: the config volume whole (no subPath), the log's folder on a writable volume.
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    mounts = {mount["mountPath"]: mount for mount in sidecar.get("volumeMounts", [])}
    for mount in mounts.values():
        if "subPath" in mount or "subPathExpr" in mount:
            problem(where, f"{mount['mountPath']}: no subPath, it never sees a ConfigMap update")
    log_mount = mounts.get(os.path.dirname(config["log"]["path"]))
    if log_mount is None or "emptyDir" not in volumes.get(log_mount["name"], {}):
        problem(where, f"outguard needs an emptyDir at {os.path.dirname(config['log']['path'])}")
    config_mount = mounts.get("/etc/outguard")
    source = volumes.get(config_mount["name"], {}).get("configMap") if config_mount else None
    if source is None:
        problem(where, "outguard needs the ConfigMap volume at /etc/outguard")
        finish()
    if source.get("name") != "outguard":
        problem(where, "the config volume must be the ConfigMap outguard")

    # The items lay out the files as the config and the rules expect them: every rule and
    # lexicon file has one, every item names a key the ConfigMap has.
    items = {item["key"]: item["path"] for item in source.get("items", [])}
    expected = {"outguard.yaml": "outguard.yaml"}
    expected |= {name: f"rules/{name}" for name in os.listdir("rules") if name.endswith(".yaml")}
    expected |= {name: f"rules/lexicons/{name}" for name in os.listdir("rules/lexicons")}
    for key, path in expected.items():
        if items.get(key) != path:
            problem(where, f"the config volume needs the item {{key: {key}, path: {path}}}")
    missing = [key for key in items if key not in configmap["data"]]
    for key in missing:
        problem(where, f"item {key} is not a key of the ConfigMap")
    project(tree_out, {path: configmap["data"][key] for key, path in items.items() if key not in missing})

    # The app reaches Outguard on loopback; the Service leads to the app, not to Outguard.
    app_env = [e.get("value", "") for c in pod["containers"] for e in c.get("env", [])]
    base = f"http://127.0.0.1:{port_of(config['listen'])}/"
    if not any(value.startswith(base) for value in app_env):
        problem(where, f"the app needs a base URL starting {base}")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    if not service["spec"]["selector"].items() <= labels.items():
        problem("deploy/kubernetes/service.yaml", "the selector does not match the pods' labels")
    if any(port.get("targetPort") in set(ports) | set(ports.values()) for port in service["spec"]["ports"]):
        problem("deploy/kubernetes/service.yaml", "the Service must not lead to Outguard's ports")


def project(volume, files):
    """Lays out files as kubelet lays out a ConfigMap volume, so that the daemon reads
    them through the same symlinks: the files in a hidden timestamped folder, `..data`
    linking to it, and each top-level name linking into `..data`. An update writes a new
    folder and swaps `..data`."""
    payload = "..2026_01_01_00_00_00.000000000"
    for path, text in files.items():
        target = os.path.join(volume, payload, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as file:
            file.write(text)
    os.symlink(payload, os.path.join(volume, "..data"))
    for top in sorted({path.split("/")[0] for path in files}):
        os.symlink(os.path.join("..data", top), os.path.join(volume, top))


# --- Log shipping -------------------------------------------------------------------

SHIPPED = ["violations.jsonl"]
ROTATED = ["violations.jsonl.1", "violations.jsonl.5"]
NEVER = ["capture.jsonl", "capture.jsonl.1"]


def globs_match(patterns, name):
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def check_globs(where, patterns, directory, rotated_too):
    for name in SHIPPED + ROTATED + NEVER:
        wanted = name in SHIPPED or (rotated_too and name in ROTATED)
        if globs_match(patterns, os.path.join(directory, name)) != wanted:
            problem(where, f"{patterns} must {'' if wanted else 'not '}match {directory}/{name}")


def logging_configs():
    # Every way of running Outguard logs into the same folder.
    directory = log_dir(CONTAINER_CONFIG)
    if log_dir(POD_CONFIG) != directory:
        problem(POD_CONFIG, f"log.path must be in {directory}, like {CONTAINER_CONFIG}")
    with open(SYSTEMD_UNIT, encoding="utf-8") as unit:
        if f"OUTGUARD_LOG_PATH={directory}/violations.jsonl" not in unit.read():
            problem(SYSTEMD_UNIT, f"must set OUTGUARD_LOG_PATH={directory}/violations.jsonl")

    where = "deploy/logging/fluent-bit.yaml"
    fluent = load_yaml(where)
    parsers = {parser["name"]: parser for parser in fluent.get("parsers", [])}
    tails = [i for i in fluent["pipeline"]["inputs"] if i["name"] == "tail"]
    if not tails:
        problem(where, "needs a tail input")
    for tail in tails:
        # Fluent Bit's tail reads a rotated file again if the path matches it.
        check_globs(where, [p.strip() for p in tail["path"].split(",")], directory, rotated_too=False)
        parser = parsers.get(tail.get("parser"), {})
        if parser.get("format") != "json":
            problem(where, "the tail input needs a json parser")
        if parser.get("time_key") and parser.get("time_keep") is not True:
            problem(where, f"parser {parser['name']}: time_key without time_keep drops `ts`")
        for output in fluent["pipeline"]["outputs"]:
            if not fnmatch.fnmatchcase(tail["tag"], output["match"]):
                problem(where, f"output {output['name']} does not match the tag {tail['tag']}")
    files = [o for o in fluent["pipeline"]["outputs"] if o["name"] == "file"]
    if not any(o.get("format") == "plain" and str(o.get("file", "")).endswith(".jsonl") for o in files):
        problem(where, "needs a file output with format: plain and a .jsonl file")

    where = "deploy/logging/vector.yaml"
    vector = load_yaml(where)
    sources = vector["sources"]
    transforms, sinks = vector.get("transforms", {}), vector["sinks"]
    for source in sources.values():
        if source["type"] == "file":
            check_globs(where, source["include"], directory, rotated_too=True)
    for name, component in {**transforms, **sinks}.items():
        for upstream in component["inputs"]:
            if upstream not in sources and upstream not in transforms:
                problem(where, f"{name}: no source or transform named {upstream}")
    if not any("parse_json" in t.get("source", "") for t in transforms.values()):
        problem(where, "needs a remap transform that parses the JSON records")
    if not any(
        s["type"] == "file" and s["encoding"]["codec"] == "json" and s["path"].endswith(".jsonl")
        for s in sinks.values()
    ):
        problem(where, "needs a file sink with codec json and a .jsonl path")


def ship(log, out_dir):
    """The log's records as the two file sinks write them: Vector with the keys sorted
    and `host` added, Fluent Bit with non-ASCII text as \\u escapes."""
    os.makedirs(out_dir, exist_ok=True)
    with open(log, encoding="utf-8") as source:
        records = [json.loads(line) for line in source if line.strip()]
    with open(os.path.join(out_dir, "vector-host.jsonl"), "w", encoding="utf-8") as file:
        for record in records:
            file.write(json.dumps({**record, "host": "pod-a"}, sort_keys=True, separators=(",", ":")) + "\n")
    with open(os.path.join(out_dir, "fluent-bit-host.jsonl"), "w", encoding="ascii") as file:
        for record in records:
            file.write(json.dumps(record, ensure_ascii=True) + "\n")


def main():
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "dockerfile":
        dockerfile(*arguments)
    elif command == "runtime-libs":
        runtime_libs(arguments[0], arguments[1:])
    elif command == "kubernetes":
        kubernetes(*arguments)
    elif command == "logging":
        logging_configs()
    elif command == "ship":
        ship(*arguments)
    elif command == "ports":
        config = load_yaml(arguments[0])
        print(port_of(config["listen"]), port_of(config["admin"]["listen"]))
    else:
        sys.exit(f"checks.py: unknown command {command}")
    finish()


if __name__ == "__main__":
    main()
