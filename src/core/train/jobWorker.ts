// Entry of the training worker process; filled in by the job runner.
export {}
