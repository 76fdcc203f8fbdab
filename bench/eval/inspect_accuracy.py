"""Prints the choice accuracy of the newest Inspect log in a directory (run with the venv's python)."""
import sys
from inspect_ai.log import list_eval_logs, read_eval_log

log = read_eval_log(max(list_eval_logs(sys.argv[1]), key=lambda i: i.mtime), header_only=True)
print(f"inspect accuracy {log.results.scores[0].metrics['accuracy'].value:.3f}")
