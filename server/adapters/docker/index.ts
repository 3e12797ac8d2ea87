export { createDockerAgent, mapDockerSocketOpenError } from "./agent";
export { createSshDocker } from "./ssh-docker";
export { readContainerEnv } from "./container-env";
export { mapDockerError, type DockerErrorContext } from "./map-docker-error";
export {
  createTailBuffer,
  demuxToLines,
  DockerFrameDemuxer,
  encodeDockerFrame,
  ExecDemux,
  RawLogPassthrough,
  type DockerStreamName,
  type LogFrame,
} from "./demux";
export type * from "./types";
