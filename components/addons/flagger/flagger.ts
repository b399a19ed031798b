import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { flaggerNamespace, flaggerRelease, platformLabels } from "../../shared/names";
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

// Fixed, not auto-named: the chart names its objects and labels its pods after the release, which
// teams' network policies select (shared/names.ts, flaggerCallerPods).
const releaseName = flaggerRelease;

/**
 * Flagger's own pod, set here rather than left to the chart so the platform's footprint is known.
 * The chart's default also has a 1000m cpu limit (`resources` in `charts/flagger/values.yaml` at
 * fluxcd/flagger v1.44.0), and Helm merges a map value key by key, so leaving `cpu` out would keep
 * it. A user value `null` deletes the default key instead (helm/helm `pkg/chartutil/coalesce.go`
 * in Helm 3; checked by rendering the chart with `helm template`), and the Kubernetes provider
 * passes a TypeScript `null` through to Helm since 4.30.0 (pulumi/pulumi-kubernetes `CHANGELOG.md`,
 * #2997). No cpu limit, as everywhere in the platform (see isolation/teamFence.ts): a cpu limit throttles
 * a pod rather than protect the others, which its cpu request already does.
 */
/** Flagger's kinds a team may create (flagger v1.44.0 charts/flagger/crds/crd.yaml): its quota counts each. */
export const flaggerTeamKinds = ["canaries.flagger.app", "metrictemplates.flagger.app", "alertproviders.flagger.app"] as const;

export const flaggerResources = {
    requests: { cpu: "10m", memory: "32Mi" },
    limits: { memory: "512Mi", cpu: null },
} as const;

/**
 * What the chart's Prometheus asks for: the chart sets it in its template and has no value for it,
 * and sets no limits (`resources` in `charts/flagger/templates/prometheus.yaml` at v1.44.0).
 */
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
 * The chart's values. The webhook is never one of them: the chart would render `slack.url` as the
 * container argument `-slack-url=` (`charts/flagger/templates/deployment.yaml` at v1.44.0), readable
 * by anyone who may read Deployments in flagger-system. Flagger gets it from the Secret through
 * `env` instead, so the values hold nothing secret and stay readable in diffs. The template renders
 * `-slack-user` and `-slack-channel` from `slack.user` and `slack.channel` each on its own, not only
 * when `slack.url` is set, so they still reach Flagger as flags.
 */
export function flaggerValues(
    slack: Pick<SlackSettings, "channel" | "user">,
    /** The Secret holding the webhook; without one, Flagger gets no Slack settings at all. */
    webhookSecretName?: pulumi.Input<string>,
): Record<string, pulumi.Input<unknown>> {
    return {
        meshProvider: "kubernetes",
        prometheus: { install: true },
        // `-no-cross-namespace-refs=true` (charts/flagger/templates/deployment.yaml at v1.44.0 renders
        // it from this value; cmd/flagger/main.go: "Flagger can only refer to resources in the same
        // namespace"): a Canary naming another team's AlertProvider (its Slack channel) or
        // MetricTemplate (its credentials) is refused (pkg/controller/controller.go
        // `verifyNoCrossNamespaceRefs`).
        noCrossNamespaceRefs: true,
        resources: flaggerResources,
        ...(webhookSecretName !== undefined
            ? { slack: { channel: slack.channel, user: slack.user }, env: slackUrlFromSecret(webhookSecretName) }
            : {}),
    };
}
