// Flux v1's settings, as stack config gives them after validation.

/** What one fluxd runs with; team entries override the platform-wide ones. */
export interface FluxV1Settings {
    readonly image: string;
    readonly gitPollInterval: string;
    readonly syncInterval: string;
    /** Extra fluxd flags, already checked not to touch the flags the platform owns. */
    readonly args: readonly string[];
}

/** The memcached every fluxd shares: what Flux v1 installs once per cluster. */
export interface MemcachedSettings {
    readonly image: string;
    readonly maxMemoryMb: number;
}
