export { createDockerAgent, mapDockerSocketOpenError } from "./agent";
export { getDocker } from "./docker-client";
export { mapDockerError, type DockerErrorContext } from "./map-docker-error";
