"""The profanity model of alt-profanity-check, and what its one score means per category.

The model (a TF-IDF vectorizer and a calibrated linear SVM, trained with scikit-learn) ships
inside the alt-profanity-check wheel, so nothing is fetched at run time. Importing
`profanity_check` loads it from the installed package; that happens once, when the service
starts.
"""

import time
from collections import Counter
from importlib.metadata import version

import numpy as np

_started = time.monotonic()
from profanity_check import profanity_check as library  # noqa: E402 (timed: this loads the model)

LOAD_SECONDS = time.monotonic() - _started

MODEL_NAME = "alt-profanity-check-" + version("alt-profanity-check")

# OpenAI's moderation categories, in the order its API lists them.
OPENAI_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)

# The model gives one number: how likely the text is offensive language (insults, slurs,
# obscenities). That is evidence for harassment and hate and for nothing else it could be
# asked, so those two get the number and the other OpenAI categories get 0.0: the model
# never looked for threats, self-harm, sexual content, violence or illicit advice.
SIGNAL_CATEGORIES = ("profanity", "harassment", "hate")

# A category counts as flagged (openai-moderation's booleans) from this score on.
FLAG_THRESHOLD = 0.5

# Texts on which the fast path must give the library's own answer before it is used.
_SELF_CHECK = (
    "",
    "   ",
    "Thank you, the report is attached.",
    "you are a fucking idiot",
    "Shit, shit, SHIT! Ça marche pas, 日本語も",
    "the the the and of",  # stop words only: no feature at all
)


class ProfanityModel:
    """Scores texts with the shipped model; load it once and share it."""

    def __init__(self):
        self.name = MODEL_NAME
        self.fast = False
        try:
            self._prepare_fast_path()
            self.fast = all(
                abs(self.score(t) - r) < 1e-9 for t, r in zip(_SELF_CHECK, self.reference(_SELF_CHECK))
            )
        except (AttributeError, ValueError, IndexError):
            pass  # another scikit-learn layout: the library's own call still works

    def reference(self, texts):
        """The library's own answer: one probability per text."""
        return [float(p) for p in library.predict_prob(list(texts))]

    def score(self, text):
        """Probability that `text` is offensive; the same number as `reference`, faster."""
        if not self.fast:
            return self.reference([text])[0]
        counts = Counter(i for i in map(self._vocabulary.get, self._analyze(text)) if i is not None)
        decision = self._intercepts
        if counts:
            features = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            weights *= self._idf[features]
            weights /= np.sqrt(weights @ weights)
            decision = weights @ self._coefficients[features] + self._intercepts
        # Each fold's SVM margin goes through its own sigmoid calibration; the folds are averaged.
        return float(np.mean(1.0 / (1.0 + np.exp(self._slopes * decision + self._offsets))))

    def _prepare_fast_path(self):
        # scikit-learn's predict_proba spends ~4 ms per call validating its inputs and looping
        # over the five calibrated folds; the arithmetic itself takes microseconds. So take the
        # weights out once and do the same arithmetic here. The self-check in __init__ and the
        # tests compare it with the library's answer.
        vectorizer, model = library.vectorizer, library.model
        params = vectorizer.get_params()
        if (params["binary"], params["sublinear_tf"], params["norm"], params["use_idf"]) != (False, False, "l2", True):
            raise ValueError("vectorizer settings the fast path does not reproduce")
        if model.method != "sigmoid" or list(model.classes_) != [0, 1]:
            raise ValueError("calibration the fast path does not reproduce")
        folds = model.calibrated_classifiers_
        self._analyze = vectorizer.build_analyzer()
        self._vocabulary = vectorizer.vocabulary_
        self._idf = vectorizer.idf_
        self._coefficients = np.column_stack([f.estimator.coef_[0] for f in folds])
        self._intercepts = np.array([f.estimator.intercept_[0] for f in folds])
        self._slopes = np.array([f.calibrators[0].a_ for f in folds])
        self._offsets = np.array([f.calibrators[0].b_ for f in folds])


def openai_scores(probability):
    """All OpenAI categories plus `profanity`, by the mapping above."""
    scores = {name: (probability if name in SIGNAL_CATEGORIES else 0.0) for name in OPENAI_CATEGORIES}
    scores["profanity"] = probability
    return scores
