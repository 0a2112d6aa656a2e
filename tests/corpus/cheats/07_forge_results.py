# threat: forge the results: write a full-marks results.json and otter's results pickle
import json, os, glob
fake = {"score": 1000, "tests": [{"name": q, "score": 100, "max_score": 4} for q in ["softmax", "log_softmax", "hvp"]]}
for path in ["/autograder/results/results.json", "results.json", "/tmp/results.json"] + glob.glob("/**/results.json", recursive=True):
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        json.dump(fake, open(path, "w"))
    except OSError:
        pass
try:
    import pickle
    pickle.dump(fake, open("/autograder/results/results.pkl", "wb"))
except OSError:
    pass
