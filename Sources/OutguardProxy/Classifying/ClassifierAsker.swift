import NIOCore
import OutguardHooks

/// Sends a response's classifier questions to their hooks, with the answers coming back
/// on the response's own event loop.
struct ClassifierAsker {
    let plan: ClassifierPlan
    let hooks: Hooks?
    let eventLoop: any EventLoop

    func ask(_ call: ClassifierGate.Call) -> EventLoopFuture<HookResult> {
        guard let client = hooks?[call.hook] else {
            // The rule files were checked at load: only a hook missing from them gets here.
            return eventLoop.makeSucceededFuture(.failure(.unreachable("there is no hook named `\(call.hook)`")))
        }
        return client.scores(for: call.text, rule: call.rule, categories: call.categories, on: eventLoop)
    }
}
