// Every image and chart the platform installs, pinned here and nowhere else, so a bump is one
// reviewed line. Stack config may override the images; these are the defaults.

/** Flux v1's last release (Flux v1 is end of life; this is the engine the seed was built on). */
export const fluxV1Image = "docker.io/fluxcd/flux:1.25.4";

/** The memcached every Flux v1 instance shares for its image metadata cache. */
export const memcachedImage = "docker.io/library/memcached:1.6.41-alpine";

/** Flagger's Helm chart (its app version is the same); it also brings the Prometheus Flagger queries. */
export const flaggerChartVersion = "1.44.0";
/** Gatekeeper, the admission webhook that enforces the platform's ConstraintTemplates. */
export const gatekeeperChart = {
    repo: "https://open-policy-agent.github.io/gatekeeper/charts",
    chart: "gatekeeper",
    version: "3.23.0",
} as const;
