import { createHash, type Hash } from "node:crypto";
import { open } from "node:fs/promises";

/** Read buffers, reused: fresh buffers per chunk cost more in page faults than hashing does. */
const CHUNK = 4 * 1024 * 1024;
/** Idle buffers; a call takes one for its whole duration, so concurrent calls never share. */
const idle: Buffer[] = [];

/**
 * Feeds a file's bytes into `hash`, reading through one reused 4 MB buffer. About 15× faster than
 * streaming through createReadStream on the machine this was measured on (23 MB: ~20 ms against
 * ~320 ms), which matters for hashes taken at every start.
 */
export async function updateHashWithFile(hash: Hash, path: string): Promise<void> {
  const buffer = idle.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
  try {
    const handle = await open(path, "r");
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
  } finally {
    if (idle.length < 2) idle.push(buffer);
  }
}

/** SHA-256 of a file's bytes, hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await updateHashWithFile(hash, path);
  return hash.digest("hex");
}

export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
