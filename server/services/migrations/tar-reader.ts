/** One regular file read from a tar archive. */
export interface TarFile {
  path: string;
  data: Buffer;
}

const BLOCK = 512;

function readString(buf: Buffer, offset: number, length: number): string {
  const end = buf.indexOf(0, offset);
  return buf.toString("utf8", offset, end === -1 || end > offset + length ? offset + length : end);
}

function readOctal(buf: Buffer, offset: number, length: number): number {
  const text = readString(buf, offset, length).trim();
  return text ? parseInt(text, 8) : 0;
}

/** PAX extended header records: "<len> key=value\n". Only `path` matters here. */
function paxPath(data: Buffer): string | undefined {
  for (const line of data.toString("utf8").split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Reads the regular files of an in-memory (ustar / PAX / GNU long name) tar archive, as Docker's
 * `GET /containers/{id}/archive` returns it. Small archives only: the caller caps the size.
 */
export function readTarFiles(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = readString(header, 345, 155);
    const name = readString(header, 0, 100);
    const dataStart = offset + BLOCK;
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === "L") {
      longName = readString(data, 0, data.length);
      continue;
    }
    const path = longName ?? (prefix ? `${prefix}/${name}` : name);
    longName = undefined;
    if (type === "0" || type === "\0") files.push({ path, data: Buffer.from(data) });
  }
  return files;
}
