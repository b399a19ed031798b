// The commented Canary a team repo starts with: how a team hands a workload to Flagger. It is not
// listed in kustomization.yaml, so Flux never applies it; a team copies it when it wants one.
import { under } from "../../shared/repoFiles";
import { flaggerNamespace } from "../../shared/names";

/** Where the example sits in a team repo, relative to the team's path. */
export const canaryExampleFile = "workloads/canary.example.yaml";

/** Every line of the manifest after this marker is the Canary with "# " in front. */
export const canaryManifestMarker = "# --- the Canary ---";

/**
 * `alertProvider`: the team's AlertProvider, when the platform made one for it. No team name in
 * it, so that one template repository carries it for every team alike: the reference names no
 * namespace, and Flagger looks it up in the Canary's own (docs/upstream.md, "Slack and cross-namespace references").
 */
export function canaryExample(alertProvider?: string): string {
    const alerts = alertProvider
        ? [
            "  # Posts to the team's Slack channel (the AlertProvider the platform made in this namespace).",
            "  alerts:",
            "    - name: slack",
            "      severity: info   # info: every step; warn: only failures",
            "      providerRef:",
            `        name: ${alertProvider}`,
        ]
        : [
            "  # No team webhook is configured, so Flagger posts to the platform's channel, if any.",
            "  # With platform:teamSlackWebhooks set for this team, add an `alerts` list here that",
            "  # references the AlertProvider the platform then creates in this namespace.",
        ];
    const manifest = [
        "apiVersion: flagger.app/v1beta1",
        "kind: Canary",
        "metadata:",
        "  name: frontend",
        "spec:",
        "  provider: kubernetes",
        "  targetRef:",
        "    apiVersion: apps/v1",
        "    kind: Deployment",
        "    name: frontend",
        "  # Roll back when a new version is not ready within 10 minutes.",
        "  progressDeadlineSeconds: 600",
        "  # Flagger creates and owns the Services frontend, frontend-primary and frontend-canary.",
        "  service:",
        "    port: 80",
        "    targetPort: http",
        "  analysis:",
        "    interval: 1m",
        "    iterations: 5    # checks the new version must pass before it is promoted",
        "    threshold: 2     # failed checks before it is rolled back",
        "    # Built-in checks: Prometheus computes them from the app's own",
        "    # http_request_duration_seconds histogram (with a `status` label).",
        "    metrics:",
        "      - name: request-success-rate",
        "        interval: 1m",
        "        thresholdRange:",
        "          min: 99    # % of requests that are not 5xx",
        "      - name: request-duration",
        "        interval: 1m",
        "        thresholdRange:",
        "          max: 500   # p99 in milliseconds",
        ...alerts.map((line) => `  ${line}`),
    ];
    return [
        `# A Canary: Flagger (in ${flaggerNamespace}) rolls out each new version of the Deployment`,
        "# frontend next to the current one, checks its metrics for a few minutes, then promotes it or",
        "# rolls it back. There is no service mesh: with provider kubernetes the switch is blue/green,",
        "# all traffic at once, after the checks pass.",
        "#",
        "# To use it:",
        "#   1. Copy this file to workloads/frontend-canary.yaml, uncomment the manifest below, and",
        "#      change frontend, the port and the thresholds to your workload's.",
        "#   2. List it in kustomization.yaml next to the Deployment.",
        "#   3. Let the Deployment's pods be scraped by Flagger's Prometheus: pod template annotations",
        "#      prometheus.io/scrape: \"true\" and prometheus.io/port: \"<metrics port>\"",
        "#      (and prometheus.io/path if it is not /metrics). The pods need a label app,",
        "#      name or app.kubernetes.io/name, which Flagger uses to select them.",
        "#   4. Do not commit Services named frontend, frontend-primary or frontend-canary.",
        "# Flagger then scales frontend to zero and serves from frontend-primary; keep changing",
        "# frontend in Git as before, and each change becomes a canary run.",
        "#",
        canaryManifestMarker,
        ...manifest.map((line) => `# ${line}`),
        "",
    ].join("\n");
}

/** The starting files Flagger adds to a team's repo, whatever its engine: the example, under `path`. */
export function canaryExampleFiles(path: string, alertProvider?: string): Record<string, string> {
    return { [under(path, canaryExampleFile)]: canaryExample(alertProvider) };
}
