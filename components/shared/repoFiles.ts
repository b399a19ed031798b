// Paths of starting files in a repo, relative to the directory an engine syncs.

/** `file` inside `path`; "" is the repo's root. */
export function under(path: string, file: string): string {
    return path === "" ? file : `${path}/${file}`;
}
