// Every image and chart the platform installs, pinned here and nowhere else, so a bump is one
// reviewed line. Stack config may override the images; these are the defaults.

/**
 * Flux v1's last release, the engine the seed was built on. Flux v1 is end of life: fluxcd/flux
 * was archived in November 2022 (its README at the last commit says so). Before choosing it as a
 * team's engine, know what this image does on a current cluster (fluxcd/flux tag 1.25.4):
 * - it bundles kubectl v1.21.14 (`docker/kubectl.version`), which fluxd runs to apply manifests:
 *   far outside kubectl's supported skew (one minor version) on the Kubernetes 1.30+ we require;
 * - it lists CronJobs only through `batch/v1beta1` (`pkg/cluster/kubernetes/resourcekinds.go`,
 *   `cronJobKind`), removed in Kubernetes 1.25; fluxd skips a kind the server answers NotFound for
 *   (`pkg/cluster/kubernetes/kubernetes.go` `AllWorkloads`, `images.go`), so a team's CronJobs are
 *   synced but are no workloads to Flux: not listed, and no image automation or release for them.
 */
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
