// The validated, defaulted shape of the stack config. Components receive these objects, never
// pulumi.Config, so every value here has already been checked.

/** Settings a Flux instance runs with; team entries override the platform-wide ones. */
export interface FluxSettings {
    readonly image: string;
    readonly gitPollInterval: string;
    readonly syncInterval: string;
    /** Extra fluxd flags, already checked not to touch the flags the platform owns. */
    readonly args: readonly string[];
}

/** A Git repository Flux syncs, and where in it. */
export interface RepoSettings {
    readonly repo: string;
    readonly branch: string;
    /** Directory inside the repo Flux syncs (`--git-path`); "" is the root. */
    readonly path: string;
    /** false: the repo exists already; only the deploy key is registered on it. */
    readonly create: boolean;
    /** Generation of the repo's SSH keypair; changing it replaces the keypair and deploy key. */
    readonly keyVersion: number;
}

export interface MemcachedSettings {
    readonly image: string;
    readonly maxMemoryMb: number;
}

export interface TeamSettings extends RepoSettings {
    /** The team's name, which is also its namespace. */
    readonly name: string;
    readonly flux: FluxSettings;
}

export interface PlatformConfig {
    /** GitHub organisation or user owning every repo (`github:owner`). */
    readonly githubOwner: string;
    readonly cluster: RepoSettings;
    /** Flux settings of the system instance, and the defaults of every team's. */
    readonly flux: FluxSettings;
    readonly memcached: MemcachedSettings;
    readonly teams: readonly TeamSettings[];
}
