import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SlackSettings } from "../config/types";
import { platformLabels } from "./labels";

export interface FlaggerArgs {
    /** Version of the chart at https://flagger.app. */
    readonly version: string;
    /** Flagger's own Slack flags; without a webhook it posts nothing. */
    readonly slack: SlackSettings;
}

export const flaggerNamespace = "flagger-system";
// Fixed, not auto-named: the chart names its objects after the release, so Prometheus is always
// flagger-prometheus.flagger-system, which teams' MetricTemplates and network policies name.
const releaseName = "flagger";

/** Flagger's own pod, set here rather than left to the chart so the platform's footprint is known. */
export const flaggerResources = {
    requests: { cpu: "10m", memory: "32Mi" },
    limits: { memory: "512Mi" },
} as const;

/** What the chart's Prometheus asks for: the chart sets it in its template and has no value for it. */
export const flaggerPrometheusRequests = { cpu: "10m", memory: "128Mi" } as const;

/**
 * Flagger with the Prometheus its chart installs, for progressive delivery without a service mesh
 * (`meshProvider: kubernetes`: blue/green over plain Services). The chart also installs the Canary,
 * MetricTemplate and AlertProvider CRDs, so custom resources of those kinds depend on `release`.
 */
export class Flagger extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly release: k8s.helm.v3.Release;
    /** Where the chart's Prometheus answers queries, for teams' MetricTemplates. */
    public readonly prometheusUrl: pulumi.Output<string>;

    constructor(name: string, args: FlaggerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Flagger", name, {}, opts);

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: { name: flaggerNamespace, labels: platformLabels("flagger") },
        }, { parent: this, dependsOn: opts?.dependsOn }); // the Platform passes Gatekeeper's release: see Gatekeeper.release
        this.namespace = namespace.metadata.name;

        if (!args.slack.webhook) {
            void pulumi.log.info("Flagger is installed without Slack: platform:slackWebhook is not set " +
                "(set it with `pulumi config set --secret platform:slackWebhook <url>`).", this);
        }

        this.release = new k8s.helm.v3.Release(`${name}-release`, {
            name: releaseName,
            namespace: this.namespace,
            chart: "flagger",
            version: args.version,
            repositoryOpts: { repo: "https://flagger.app" },
            values: flaggerValues(args.slack),
        }, { parent: this });

        this.prometheusUrl = pulumi.interpolate`http://${releaseName}-prometheus.${this.namespace}:9090`;
        this.registerOutputs({ namespace: this.namespace, prometheusUrl: this.prometheusUrl });
    }
}

// With a webhook the whole values object becomes secret (Pulumi lifts a nested secret to the top),
// so the URL is encrypted in state and hidden in diffs; Helm then renders it into Flagger's flags.
function flaggerValues(slack: SlackSettings): Record<string, pulumi.Input<unknown>> {
    return {
        meshProvider: "kubernetes",
        prometheus: { install: true },
        resources: flaggerResources,
        ...(slack.webhook ? { slack: { url: slack.webhook, channel: slack.channel, user: slack.user } } : {}),
    };
}
