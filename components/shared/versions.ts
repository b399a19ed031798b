// Every image and chart the platform installs, pinned here and nowhere else, so a bump is one
// reviewed line. Stack config may override the images; these are the defaults.

/**
 * Flux v1's last release, the engine the seed was built on; Flux v1 is end of life. On a current
 * cluster its kubectl is far outside the supported skew and a team's CronJobs are no workloads to
 * it (docs/upstream.md, "The image on a current cluster"; docs/engines.md).
 */
export const fluxV1Image = "docker.io/fluxcd/flux:1.25.4";

/** The memcached every Flux v1 instance shares for its image metadata cache. */
export const memcachedImage = "docker.io/library/memcached:1.6.41-alpine";

/** Flagger's Helm chart (its app version is the same); it also brings the Prometheus Flagger queries. */
export const flaggerChartVersion = "1.44.0";
export const flaggerChart = { repo: "https://flagger.app", chart: "flagger" } as const;
/**
 * The images the Flagger chart runs by default at that version (its `values.yaml`), named here only
 * to point them at a mirror: `image.repository` (its tag is the chart's) and `prometheus.image`.
 */
export const flaggerChartImages = { flagger: "ghcr.io/fluxcd/flagger", prometheus: "docker.io/prom/prometheus:v2.41.0" } as const;
/** Gatekeeper, the admission webhook that enforces the platform's ConstraintTemplates. */
export const gatekeeperChart = {
    repo: "https://open-policy-agent.github.io/gatekeeper/charts",
    chart: "gatekeeper",
    version: "3.23.0",
} as const;
/**
 * The image repositories the Gatekeeper chart runs by default at that version (`values.yaml`; tags
 * are the chart's), named here only to point them at a mirror.
 */
export const gatekeeperChartImages = {
    gatekeeper: "openpolicyagent/gatekeeper",
    crds: "openpolicyagent/gatekeeper-crds",
    probe: "curlimages/curl",
} as const;

/**
 * The Flux Operator's Helm chart (Flux v2's installer), AGPL-3.0, deployed unmodified. Its chart
 * version is the operator's version without the "v" (docs/upstream.md, "The operator's chart and
 * network policies").
 */
export const fluxOperatorChart = {
    chart: "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator",
    version: "0.58.1",
    /** The chart's `image.repository` (its tag is the chart's appVersion), named only to point it at a mirror. */
    image: "ghcr.io/controlplaneio-fluxcd/flux-operator",
} as const;

/**
 * The Flux v2 release the operator installs: an exact release, never a range, so that the operator
 * never upgrades Flux outside `pulumi preview` (docs/upstream.md, "The FluxInstance", images).
 */
export const fluxV2Version = "2.9.4";

/** Where the upstream Flux images are pulled from (docs/upstream.md, "The FluxInstance", images). */
export const fluxV2Registry = "ghcr.io/fluxcd";

/** A Flux minor release the pinned operator can install, and the Kubernetes versions it supports. */
export interface FluxV2Release {
    /** "2.9" */
    readonly minor: string;
    /** Its newest patch release that the pinned operator carries, the one to pin. */
    readonly newestPatch: string;
    /** The oldest and newest Kubernetes minor Flux tests this release on. */
    readonly kubernetes: { readonly oldest: string; readonly newest: string };
    /** Patch releases of the line that the operator does not carry, so cannot install. */
    readonly notCarried: readonly string[];
}

/**
 * The Flux releases a stack may pin, newest first (the table in docs/engines.md is written from
 * it). A stack on an older cluster pins an older release; the operator refuses to go back a minor
 * once a newer one is installed. Where each field was read: docs/upstream.md, "Releases a stack
 * may pin".
 */
export const fluxV2Releases: readonly FluxV2Release[] = [
    { minor: "2.9", newestPatch: "2.9.4", kubernetes: { oldest: "1.34", newest: "1.36" }, notCarried: [] },
    { minor: "2.8", newestPatch: "2.8.8", kubernetes: { oldest: "1.33", newest: "1.35" }, notCarried: ["2.8.4"] },
];

/**
 * The Kubernetes releases the platform is tested on, built from source by the tests
 * (test/cluster/build-control-plane.sh): the oldest the README claims (ValidatingAdmissionPolicy
 * `v1` is GA from 1.30) and the newest the Go module proxy serves, each at its newest patch there.
 */
export const kubernetesVersions = { oldest: "1.30.14", newest: "1.37.2" } as const;
