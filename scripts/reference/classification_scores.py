"""Reference classification scores from scikit-learn, for src/core/eval/classificationScores.test.ts.

Run: /usr/bin/python3 (Debian python3-sklearn) scripts/reference/classification_scores.py > tests/fixtures/eval/classificationScores.json
Cases cover a class never predicted, a class absent from the truth, and multi-label images with no label
and with several (zero_division=0, as our scores use).
"""
import json

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
)


def averaged(y_true, y_pred, labels):
    out = {}
    for avg in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=avg, zero_division=0
        )
        out[avg] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    out["perClass"] = [
        {"precision": float(a), "recall": float(b), "f1": float(c), "support": int(d)}
        for a, b, c, d in zip(p, r, f, s)
    ]
    return out


def multi_class(rng, n, classes, never_predicted=None, absent=None):
    y_true = rng.integers(0, classes, n)
    if absent is not None:
        y_true[y_true == absent] = (absent + 1) % classes
    # Mostly right, some noise: a realistic classifier.
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, classes, n))
    if never_predicted is not None:
        y_pred[y_pred == never_predicted] = (never_predicted + 1) % classes
    labels = list(range(classes))
    return {
        "kind": "multi-class",
        "classes": classes,
        "truth": y_true.tolist(),
        "predicted": y_pred.tolist(),
        **averaged(y_true, y_pred, labels),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def multi_label(rng, n, classes):
    y_true = (rng.random((n, classes)) < 0.4).astype(int)
    y_true[0, :] = 0  # an image with no label
    y_true[1, :] = 1  # an image with every label
    flip = rng.random((n, classes)) < 0.25
    y_pred = np.where(flip, 1 - y_true, y_true)
    labels = list(range(classes))
    mcm = multilabel_confusion_matrix(y_true, y_pred, labels=labels)
    return {
        "kind": "multi-label",
        "classes": classes,
        "truth": y_true.tolist(),
        "predicted": y_pred.tolist(),
        **averaged(y_true, y_pred, labels),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        # sklearn's [[tn, fp], [fn, tp]] per label
        "labelMatrices": [
            {"tn": int(m[0, 0]), "fp": int(m[0, 1]), "fn": int(m[1, 0]), "tp": int(m[1, 1])} for m in mcm
        ],
    }


rng = np.random.default_rng(2017)
cases = [
    multi_class(rng, 40, 3),
    multi_class(rng, 60, 10, never_predicted=4),
    multi_class(rng, 25, 4, absent=2),
    multi_label(rng, 30, 5),
    multi_label(rng, 12, 3),
]
print(json.dumps({"source": "scikit-learn precision_recall_fscore_support, zero_division=0", "cases": cases}, indent=1))
