/** The job engine's API for services: start, cancel and read jobs; stack locks. */
export { cancelJob, startJob, type JobRun } from "./runner";
export { getJob, getLastLogSeq, iterateJobLog, listJobs, readJobLog, waitForJob } from "./queries";
export { markInterruptedJobs } from "./interrupted";
export { acquireStackLock, getStackLock, releaseStackLock, startLockedJob, type StartLockedJobInput } from "./stack-lock";
export { subscribeToJob } from "./registry";
export { JobCancelledError, INTERNAL_JOB_ERROR } from "./job-errors";
export { FINISHED_JOB_STATUSES, isFinishedStatus, JOB_STATUSES, LOG_LEVELS } from "./types";
export type * from "./types";
