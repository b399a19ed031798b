// The URL form source-controller accepts for a GitRepository.

/**
 * `git@github.com:org/repo.git` (the scp-like form the platform and Flux v1 use) as
 * `ssh://git@github.com/org/repo.git`: source-controller accepts only URLs with a scheme
 * (docs/upstream.md, "The objects a sync creates"). An `ssh://` URL is returned as it is; anything
 * else is an error, since the key the platform gives is an SSH key.
 */
export function sourceControllerSshUrl(url: string): string {
    if (url.startsWith("ssh://")) {
        return url;
    }
    // user@host:path, where the host has no "/" and the path does not start with "//" (scp-like syntax, git-clone(1) "GIT URLS").
    const scpLike = /^([^@/:\s]+)@([^/:\s]+):(?!\/\/)(\S+)$/.exec(url);
    if (scpLike === null) {
        throw new Error(`Flux v2 syncs over SSH: expected a git URL like git@github.com:org/repo.git or ssh://git@github.com/org/repo.git, got ${url}`);
    }
    const [, user, host, path] = scpLike;
    return `ssh://${user}@${host}/${path.replace(/^\//, "")}`;
}
