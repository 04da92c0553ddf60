// Files this service writes that other local users must not read: `.data/` (0700) and what it
// holds (0600): the Temporal dev server's SQLite database (workflow histories, with shoppers'
// personal data unless payload encryption is on), the NetSuite sandbox ledger, the operator audit
// log, .data/stack.json (sandbox credentials) and .data/mcp-token (a bearer token). New files are
// created owner-only; existing ones we own are tightened. POSIX modes only: on Windows these
// are no-ops (the ACLs of the user's profile apply).
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const POSIX = process.platform !== 'win32';
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const ownedByMe = (uid: number) => !POSIX || typeof process.getuid !== 'function' || uid === process.getuid();

/** Creates `dir` (parents included, each new one 0700) and makes `dir` itself 0700; true when it had to tighten it. */
export function ensurePrivateDir(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (!POSIX) return false;
  const st = statSync(dir);
  if ((st.mode & 0o077) === 0 || !ownedByMe(st.uid)) return false;
  chmodSync(dir, DIR_MODE);
  return true;
}

/** Makes an existing file of ours 0600 (a file written before this rule, or by a tool with the usual umask). */
export function tightenFile(file: string): void {
  if (!POSIX) return;
  try {
    const st = statSync(file);
    if (st.isFile() && (st.mode & 0o077) !== 0 && ownedByMe(st.uid)) chmodSync(file, FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Creates `file` owner-only if missing (for appending, e.g. a log) and tightens it if it exists; its new parent directories are 0700. */
export function ensurePrivateFile(file: string): string {
  mkdirSync(dirname(file), { recursive: true, mode: DIR_MODE });
  closeSync(openSync(file, 'a', FILE_MODE));
  tightenFile(file);
  return file;
}

/** Writes `data` to `file` owner-only and atomically (a temporary file, then a rename). */
export function writePrivateFileSync(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: FILE_MODE });
  if (POSIX) chmodSync(tmp, FILE_MODE); // the mode of writeFileSync is filtered by the umask
  renameSync(tmp, file);
}

export async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode: FILE_MODE });
  if (POSIX) chmodSync(tmp, FILE_MODE);
  await rename(tmp, file);
}

/**
 * Why a file holding a secret must not be used as it is (undefined: fine): a symbolic link, not a
 * regular file, someone else's, or readable or writable by other users. One sentence, with the fix.
 */
export function weakSecretFile(file: string, shown: string = file): string | undefined {
  if (!POSIX) return undefined;
  const st = lstatSync(file);
  if (st.isSymbolicLink())
    return `${shown} is a symbolic link; a secret file must be a plain file of yours: delete it and start again to get a new one`;
  if (!st.isFile()) return `${shown} is not a regular file: delete it and start again to get a new one`;
  if (!ownedByMe(st.uid))
    return `${shown} belongs to another user (uid ${st.uid}): delete it and start again to get a new one`;
  if ((st.mode & 0o077) !== 0) {
    return `${shown} can be read by other users of this machine (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): run \`chmod 600 ${shown}\` if no one else has read it, otherwise delete it to get a new token, then start again`;
  }
  return undefined;
}
