import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { flaggerNamespace, platformLabels } from "../../shared/names";
import { SlackSettings } from "./settings";
import { chartSource, MirrorSettings, mirroredImage, noMirror } from "../../shared/mirror";
import { flaggerChart, flaggerChartImages } from "../../shared/versions";
import { flaggerSlackWebhookSecret, slackUrlFromSecret } from "./slackWebhook";

export interface FlaggerArgs {
    /** Version of the chart at https://flagger.app. */
    readonly version: string;
    /** Flagger's own Slack flags; without a webhook it posts nothing. */
    readonly slack: SlackSettings;
    /** Where the chart and its images come from instead of upstream. */
    readonly mirror?: MirrorSettings;
}

/**
 * Flagger's Helm release, fixed rather than auto-named: the chart names and labels its pods after
 * it (`app.kubernetes.io/instance`), which teams' network policies select (docs/upstream.md, "Names, kinds and pods").
 */
const releaseName = "flagger";

/** The pods of flagger-system a team's pods must answer: Flagger (its Canary webhooks) and its Prometheus (scrapes). */
export const flaggerCallerPods = {
    matchLabels: { "app.kubernetes.io/instance": releaseName },
    matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: [releaseName, `${releaseName}-prometheus`] }],
};

/** Flagger's kinds a team may create (docs/upstream.md, "Names, kinds and pods"): its quota counts each. */
export const flaggerTeamKinds = ["canaries.flagger.app", "metrictemplates.flagger.app", "alertproviders.flagger.app"] as const;

/**
 * Flagger's own pod, set here rather than left to the chart so the platform's footprint is known.
 * `cpu: null` deletes the chart's default cpu limit (docs/upstream.md, "Resources"): a cpu limit
 * throttles a pod rather than protect the others, which its cpu request already does.
 */
export const flaggerResources = {
    requests: { cpu: "10m", memory: "32Mi" },
    limits: { memory: "512Mi", cpu: null },
} as const;

/** What the chart's Prometheus asks for: set in its template, with no value and no limits (docs/upstream.md, "Resources"). */
export const flaggerPrometheusRequests = { cpu: "10m", memory: "128Mi" } as const;

/**
 * Flagger with the Prometheus its chart installs, for progressive delivery without a service mesh
 * (`meshProvider: kubernetes`: blue/green over plain Services). The chart also installs the Canary,
 * MetricTemplate and AlertProvider CRDs, so custom resources of those kinds depend on `release`.
 */
export class Flagger extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly release: k8s.helm.v3.Release;
    /** Holds the platform's Slack webhook for Flagger; only with a webhook. */
    public readonly slackWebhookSecret?: k8s.core.v1.Secret;
    /** Where the chart's Prometheus answers Flagger's built-in queries (teams may not query it: the ReachGuard). */
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

        this.slackWebhookSecret = args.slack.webhook
            ? flaggerSlackWebhookSecret(`${name}-slack-webhook`, { namespace: this.namespace, webhook: args.slack.webhook }, { parent: this })
            : undefined;

        this.release = new k8s.helm.v3.Release(`${name}-release`, {
            name: releaseName,
            namespace: this.namespace,
            ...chartSource(flaggerChart.chart, { chart: flaggerChart.chart, repositoryOpts: { repo: flaggerChart.repo } }, args.mirror ?? noMirror),
            version: args.version,
            values: withMirroredImages(flaggerValues(args.slack, this.slackWebhookSecret?.metadata.name), args.mirror ?? noMirror),
        }, { parent: this });

        this.prometheusUrl = pulumi.interpolate`http://${releaseName}-prometheus.${this.namespace}:9090`;
        this.registerOutputs({ namespace: this.namespace, prometheusUrl: this.prometheusUrl });
    }
}

/** The values with Flagger's and its Prometheus' images as the mirror serves them; unchanged without a mirror of their registries. */
export function withMirroredImages(values: Record<string, pulumi.Input<unknown>>, mirror: MirrorSettings): Record<string, pulumi.Input<unknown>> {
    const flagger = mirroredImage(flaggerChartImages.flagger, mirror);
    const prometheus = mirroredImage(flaggerChartImages.prometheus, mirror);
    return {
        ...values,
        ...(flagger !== flaggerChartImages.flagger ? { image: { repository: flagger } } : {}),
        ...(prometheus !== flaggerChartImages.prometheus ? { prometheus: { ...values.prometheus as object, image: prometheus } } : {}),
    };
}

/**
 * The chart's values. The webhook is never one of them: the chart would render it into a container
 * argument, readable by anyone who may read Deployments in flagger-system; Flagger reads it from
 * the Secret through `env` instead, and the channel and user still reach it as flags
 * (docs/upstream.md, "Slack and cross-namespace references").
 */
export function flaggerValues(
    slack: Pick<SlackSettings, "channel" | "user">,
    /** The Secret holding the webhook; without one, Flagger gets no Slack settings at all. */
    webhookSecretName?: pulumi.Input<string>,
): Record<string, pulumi.Input<unknown>> {
    return {
        meshProvider: "kubernetes",
        prometheus: { install: true },
        // A Canary naming another team's AlertProvider (its Slack channel) or MetricTemplate (its
        // credentials) is refused (docs/upstream.md, "Slack and cross-namespace references").
        noCrossNamespaceRefs: true,
        resources: flaggerResources,
        ...(webhookSecretName !== undefined
            ? { slack: { channel: slack.channel, user: slack.user }, env: slackUrlFromSecret(webhookSecretName) }
            : {}),
    };
}
