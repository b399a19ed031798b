// A mirror the cluster pulls images through, and pulumi charts from: for clusters without direct
// reach to Docker Hub, ghcr.io or the charts' own sites (docs/operations.md, "What the platform reaches").

/** Where images and charts come from instead of upstream; empty maps: from upstream. */
export interface MirrorSettings {
    /** By upstream registry host (`docker.io`, `ghcr.io`): the registry (and path) serving the same images. */
    readonly registries: Readonly<Record<string, string>>;
    /** By chart name: a Helm repository URL (`https://...`) or an OCI chart reference (`oci://...`) serving the pinned chart. */
    readonly charts: Readonly<Record<string, string>>;
}

export const noMirror: MirrorSettings = { registries: {}, charts: {} };

/** The registry host of an image reference, as a container runtime reads it (no host: Docker Hub). */
export function registryOf(image: string): string {
    const first = image.split("/")[0];
    return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

/** An image reference (or a repository without tag) as the mirror serves it; unchanged when its registry is not mirrored. */
export function mirroredImage(image: string, mirror: MirrorSettings): string {
    const registry = registryOf(image);
    const target = mirror.registries[registry];
    if (target === undefined) return image;
    const rest = image.startsWith(`${registry}/`) ? image.slice(registry.length + 1) : image;
    // Docker Hub's official images live under library/, which a short name leaves out.
    return `${target}/${registry === "docker.io" && !rest.includes("/") ? `library/${rest}` : rest}`;
}

/** What a Helm Release names as its chart: the chart and its repository, or an OCI reference alone. */
export interface ChartSource {
    readonly chart: string;
    readonly repositoryOpts?: { readonly repo: string };
}

/** A pinned chart's source, or the mirror's for a chart of that name. */
export function chartSource(name: string, upstream: ChartSource, mirror: MirrorSettings): ChartSource {
    const mirrored = mirror.charts[name];
    if (mirrored === undefined) return upstream;
    return mirrored.startsWith("oci://") ? { chart: mirrored } : { chart: name, repositoryOpts: { repo: mirrored } };
}
