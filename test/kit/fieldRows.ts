// The rows of fields that reach outside a team namespace (the ReachGuard, components/fence/
// reachGuard.ts) and of the quota's object counts: each attack names what it needs, the policy or
// the quota that refuses it, and test/fence/fieldRows.spec.ts shows the attack goes through without it.
// Spread into the tables of tables.ts.
import { shardingLabel, teamServiceAccountName } from "../../components/engines/flux2/fluxInstance";
import { reachGuardPolicyNames } from "../../components/fence/reachGuardCel";
import { systemNamespace, teamFenceNames } from "../../components/shared/names";
import { Cluster, Request } from "./cluster";
import { fluxControllerAccounts } from "./fixtures/flux2";
import { fluxV2Team } from "./platformCluster";
import { granted, principals, subjects } from "./principalRows";
import { apps, confinedPod, core, stored } from "./requests";
import type { Attack, Expected } from "./tables";
import { serviceAccount } from "./users";

type Json = Record<string, any>;

/** An attack and what refuses it: without that object (a policy, the quota) the server would admit it. */
export interface FieldAttack extends Attack {
    readonly needs: { readonly kind: "ValidatingAdmissionPolicy" | "ResourceQuota"; readonly name: string; readonly namespace?: string };
}

const teamFlux = serviceAccount("team1", "flux");
/** The account a Flux v2 team's objects are applied as. */
const tenant = serviceAccount(fluxV2Team, teamServiceAccountName);

const policy = (name: string) => ({ kind: "ValidatingAdmissionPolicy" as const, name });
const deniedBy = (name: string) => `admission policy ${name}`;
const names = reachGuardPolicyNames;

const service = (name: string, spec: Json): Json => ({ apiVersion: "v1", kind: "Service", metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

/** A Deployment of the team's whose pods are `change`d. */
const deployment = (name: string, change: (spec: Json) => Json): Json => ({
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name, labels: { app: name } },
    spec: {
        replicas: 1, selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: confinedPod(name, change).spec },
    },
});

const flux = (group: string, version: string, resource: string) => `/apis/${group}/${version}/namespaces/${fluxV2Team}/${resource}`;

const resourceSet = (name: string, dependsOn: Json[]): Json => ({
    apiVersion: "fluxcd.controlplane.io/v1", kind: "ResourceSet", metadata: { name },
    spec: { dependsOn, resources: [] },
});

const helmRelease = (name: string, chartLabels: Record<string, string>): Json => ({
    apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", metadata: { name },
    spec: {
        interval: "10m",
        chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } }, metadata: { labels: chartLabels } },
    },
});

/** A HorizontalPodAutoscaler of the team's on `kind` `target`. */
const hpa = (name: string, kind: string, target: string): Json => ({
    apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name: target }, minReplicas: 1, maxReplicas: 3, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }] },
});
const flagger = (resource: string) => `/apis/flagger.app/v1beta1/namespaces/team1/${resource}`;

/** A Canary of the team's (flagger v1.44.0 charts/flagger/crds/crd.yaml: targetRef and analysis required). */
const canary = (name: string, change: (spec: Json) => Json = (s) => s): Json => ({
    apiVersion: "flagger.app/v1beta1", kind: "Canary", metadata: { name },
    spec: change({
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        service: { port: 80 },
        analysis: { interval: "1m", threshold: 5, iterations: 10, metrics: [{ name: "request-success-rate", thresholdRange: { min: 99 }, interval: "1m" }] },
    }),
});
const webhook = (url: string) => (spec: Json): Json => ({ ...spec, analysis: { ...spec.analysis, webhooks: [{ name: "load-test", type: "rollout", url }] } });
const metricTemplate = (name: string, provider: Json): Json => ({
    apiVersion: "flagger.app/v1beta1", kind: "MetricTemplate", metadata: { name },
    spec: { provider, query: "sum(rate(http_requests_total[1m]))" },
});
const alertProvider = (name: string, spec: Json): Json => ({ apiVersion: "flagger.app/v1beta1", kind: "AlertProvider", metadata: { name }, spec: { type: "slack", ...spec } });
/** The platform's Prometheus, which holds every team's metrics (components/addons/flagger/flagger.ts). */
const platformPrometheus = "http://flagger-prometheus.flagger-system:9090";
/**
 * A HelmRelease of the team's repo as kustomize-controller applies it for a team with dedicated
 * controllers: server-side, as the team's account (fluxcd/pkg runtime/v0.110.1
 * runtime/client/impersonator.go), with its owner labels and the shard label of the Kustomization's
 * commonMetadata (components/engines/flux2/fluxV2.ts).
 */
const onItsShard = (name: string, spec: Json): Request => ({
    user: serviceAccount(systemNamespace, fluxControllerAccounts.kustomize),
    impersonate: { serviceAccount: { namespace: fluxV2Team, name: teamServiceAccountName } },
    method: "PATCH", patchType: "apply",
    path: `${flux("helm.toolkit.fluxcd.io", "v2", "helmreleases")}/${name}?fieldManager=${fluxControllerAccounts.kustomize}&force=true`,
    body: {
        apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease",
        metadata: {
            name, namespace: fluxV2Team,
            labels: { "kustomize.toolkit.fluxcd.io/name": "gitops-platform", "kustomize.toolkit.fluxcd.io/namespace": fluxV2Team, [shardingLabel]: fluxV2Team },
        },
        spec: { interval: "10m", ...spec },
    },
});
const podinfoChart = { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } };
const helmReleaseShards = names.labelTemplates({ group: "helm.toolkit.fluxcd.io", version: "v2", resource: "helmreleases", path: "chart.metadata" });

const secret = (name: string): Json => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "team1" }, type: "Opaque", data: { a: "Yg==" } });

/** As many Secrets of its own as team1's quota leaves room for, counted as the quota counts them. */
function secretsToTheQuota(c: Cluster): Cluster {
    const hard = Number(stored(c, "", "resourcequotas", "team1", teamFenceNames.quota).spec.hard["count/secrets"]);
    const room = hard - c.count("", "secrets", "team1");
    return c.with(...Array.from({ length: room }, (_, i) => secret(`filler-${i}`)));
}

export const fieldAttacks: readonly FieldAttack[] = [
    {
        attack: "a Service with externalIPs, to take traffic meant for any address from every node (CVE-2020-8554)",
        deniedBy: deniedBy(names.services), needs: policy(names.services),
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "services"), body: service("grab", { externalIPs: ["10.96.0.10"] }) }),
    },
    {
        attack: "a Service with externalIPs, sent by a person the team's repo granted the team role",
        deniedBy: deniedBy(names.services), needs: policy(names.services), given: granted(subjects.member),
        request: () => ({ user: principals.member, method: "POST", path: core("team1", "services"), body: service("grab-too", { externalIPs: ["10.96.0.10"] }) }),
    },
    {
        attack: "an ExternalName Service pointing at another team's Service, for ingress controllers to follow (CVE-2021-25740)",
        deniedBy: deniedBy(names.services), needs: policy(names.services),
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "services"), body: service("other", { type: "ExternalName", externalName: "web.team2.svc.cluster.local", ports: undefined }) }),
    },
    {
        attack: "Endpoints of its own, sending its Service's traffic to another namespace's pod (CVE-2021-25740)",
        deniedBy: deniedBy(names.controllersOnly), needs: policy(names.controllersOnly),
        request: () => ({
            user: teamFlux, method: "POST", path: core("team1", "endpoints"),
            body: { apiVersion: "v1", kind: "Endpoints", metadata: { name: "web" }, subsets: [{ addresses: [{ ip: "10.244.1.7" }], ports: [{ port: 80 }] }] },
        }),
    },
    {
        attack: "an EndpointSlice of its own for a Service, to another namespace's pod (CVE-2021-25740)",
        deniedBy: deniedBy(names.controllersOnly), needs: policy(names.controllersOnly),
        request: () => ({
            user: teamFlux, method: "POST", path: "/apis/discovery.k8s.io/v1/namespaces/team1/endpointslices",
            body: {
                apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "web-manual", labels: { "kubernetes.io/service-name": "web" } },
                addressType: "IPv4", endpoints: [{ addresses: ["10.244.1.7"] }], ports: [{ port: 80 }],
            },
        }),
    },
    {
        attack: "bind a pod of its own to a node of its choice (pods/binding, the scheduler skipped)",
        deniedBy: deniedBy(names.controllersOnly), needs: policy(names.controllersOnly),
        request: () => ({
            user: teamFlux, method: "POST", path: `${core("team1", "pods", "web")}/binding`,
            body: { apiVersion: "v1", kind: "Binding", metadata: { name: "web" }, target: { apiVersion: "v1", kind: "Node", name: "control-plane-1" } },
        }),
    },
    {
        attack: "a pod pinned to a node (spec.nodeName: the scheduler, its taints and selectors skipped)",
        deniedBy: deniedBy(names.pods), needs: policy(names.pods),
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "pods"), body: confinedPod("pinned", (s) => ({ ...s, nodeName: "control-plane-1" })) }),
    },
    {
        attack: "a Deployment whose pods tolerate every taint (operator Exists, no key): onto the control plane's nodes",
        deniedBy: deniedBy(names.workloads), needs: policy(names.workloads),
        request: () => ({ user: teamFlux, method: "POST", path: apps("team1", "deployments"), body: deployment("anywhere", (s) => ({ ...s, tolerations: [{ operator: "Exists" }] })) }),
    },
    {
        attack: "a CronJob whose pods take system-node-critical priority, preempting other teams' pods",
        deniedBy: deniedBy(names.cronJobs), needs: policy(names.cronJobs),
        request: () => ({
            user: teamFlux, method: "POST", path: "/apis/batch/v1/namespaces/team1/cronjobs",
            body: {
                apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "urgent" },
                spec: {
                    schedule: "*/5 * * * *",
                    jobTemplate: { spec: { template: { spec: { ...confinedPod("urgent").spec, restartPolicy: "OnFailure", priorityClassName: "system-node-critical" } } } },
                },
            },
        }),
    },
    {
        attack: "Flux v2: a ResourceSet depending on another team's Secret, which the operator reads with its own rights for the team's readyExpr",
        deniedBy: deniedBy(names.namespaceReferences({ group: "fluxcd.controlplane.io", version: "v1", resource: "resourcesets", path: "dependsOn" })),
        needs: policy(names.namespaceReferences({ group: "fluxcd.controlplane.io", version: "v1", resource: "resourcesets", path: "dependsOn" })),
        request: () => ({
            user: tenant, method: "POST", path: flux("fluxcd.controlplane.io", "v1", "resourcesets"),
            body: resourceSet("peek", [{ apiVersion: "v1", kind: "Secret", name: "flux-git-deploy", namespace: "team1", ready: true, readyExpr: "has(metadata.annotations)" }]),
        }),
    },
    {
        attack: "Flux v2: a HelmRelease whose chart's labels hand the HelmChart to another team's dedicated controllers",
        deniedBy: deniedBy(names.labelTemplates({ group: "helm.toolkit.fluxcd.io", version: "v2", resource: "helmreleases", path: "chart.metadata" })),
        needs: policy(names.labelTemplates({ group: "helm.toolkit.fluxcd.io", version: "v2", resource: "helmreleases", path: "chart.metadata" })),
        request: () => ({ user: tenant, method: "POST", path: flux("helm.toolkit.fluxcd.io", "v2", "helmreleases"), body: helmRelease("on-a-shard", { [shardingLabel]: "team1" }) }),
    },
    {
        attack: "a HorizontalPodAutoscaler on the platform's fluxd Deployment, for the HPA controller to scale it",
        deniedBy: deniedBy(names.scaleTargets), needs: policy(names.scaleTargets),
        request: () => ({ user: teamFlux, method: "POST", path: "/apis/autoscaling/v2/namespaces/team1/horizontalpodautoscalers", body: hpa("grow-flux", "Deployment", "flux") }),
    },
    {
        attack: "a HorizontalPodAutoscaler on a ReplicaSet of the platform's fluxd, sent by a person the team's repo granted the team role",
        deniedBy: deniedBy(names.scaleTargets), needs: policy(names.scaleTargets), given: granted(subjects.member),
        request: () => ({
            user: principals.member, method: "POST", path: "/apis/autoscaling/v1/namespaces/team1/horizontalpodautoscalers",
            body: { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "grow-flux-rs" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "ReplicaSet", name: "flux-5d7d9fc9d5" }, maxReplicas: 3 } },
        }),
    },
    {
        attack: "a Canary whose target is the platform's fluxd, for Flagger to copy it and scale it to zero",
        deniedBy: deniedBy(names.canaries), needs: policy(names.canaries),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("canaries"), body: canary("take-flux", (s) => ({ ...s, targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "flux" } })) }),
    },
    {
        attack: "a Canary webhook into another team's namespace (its fluxd's API), for Flagger to call and write the answer into an Event",
        deniedBy: deniedBy(names.canaries), needs: policy(names.canaries),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("canaries"), body: canary("peek-team2", webhook("http://flux.team2.svc.cluster.local:3030/api/flux/v6/export")) }),
    },
    {
        attack: "a Canary webhook at an IP literal (a pod of any namespace)",
        deniedBy: deniedBy(names.canaries), needs: policy(names.canaries),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("canaries"), body: canary("by-address", webhook("http://10.244.1.7:3030/api/flux/v6/export")) }),
    },
    {
        attack: "a Canary webhook at a single-label name, which Flagger resolves in its own flagger-system (its Prometheus)",
        deniedBy: deniedBy(names.canaries), needs: policy(names.canaries),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("canaries"), body: canary("next-door", webhook("http://flagger-prometheus:9090/api/v1/targets")) }),
    },
    {
        attack: "a Canary whose metricsServer is the platform's Prometheus",
        deniedBy: deniedBy(names.canaries), needs: policy(names.canaries),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("canaries"), body: canary("their-metrics", (s) => ({ ...s, metricsServer: platformPrometheus })) }),
    },
    {
        attack: "a Canary with an in-line PromQL query, run on the platform's Prometheus (every team's metrics)",
        deniedBy: deniedBy(names.canaries), needs: policy(names.canaries),
        request: () => ({
            user: teamFlux, method: "POST", path: flagger("canaries"),
            body: canary("inline", (s) => ({ ...s, analysis: { ...s.analysis, metrics: [{ name: "peek", query: "sum(up{kubernetes_namespace=\"team2\"})", threshold: 1 }] } })),
        }),
    },
    {
        attack: "a MetricTemplate querying the platform's Prometheus",
        deniedBy: deniedBy(names.metricTemplates), needs: policy(names.metricTemplates),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("metrictemplates"), body: metricTemplate("shared-prometheus", { type: "prometheus", address: platformPrometheus }) }),
    },
    {
        attack: "a MetricTemplate of type externalmetrics at a Service of its own: Flagger sends it its own Kubernetes token",
        deniedBy: deniedBy(names.metricTemplates), needs: policy(names.metricTemplates),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("metrictemplates"), body: metricTemplate("token-catcher", { type: "externalmetrics", address: "http://catcher.team1:8080" }) }),
    },
    {
        attack: "an AlertProvider whose address is a Service of another team, for Flagger to post to",
        deniedBy: deniedBy(names.alertProviders), needs: policy(names.alertProviders),
        request: () => ({ user: teamFlux, method: "POST", path: flagger("alertproviders"), body: alertProvider("post-team2", { address: "http://web.team2/hook" }) }),
    },
    {
        // Not an escape: a release that could never install, refused where the team sees why (its
        // Kustomization's status and Slack alert quote the policy's message).
        attack: "Flux v2: a HelmRelease on its team's dedicated controllers whose chart's HelmChart would go to the shared ones, which cannot see the team's HelmRepository",
        deniedBy: deniedBy(helmReleaseShards),
        needs: policy(helmReleaseShards),
        request: () => onItsShard("web", { chart: podinfoChart }),
    },
];

/**
 * The quota's counts, decided by the kit only: on the real API server (1.37.2 and 1.30.14) the N+1th
 * Secret's dry run was admitted in some runs and refused in others. With the quota's hard count
 * filled by the row's `given`, the server held 50 Secrets in team1 while the quota's status.used
 * stayed at 49 for 15 seconds, and the quota admission plugin of a dry run writes no usage back, so
 * it never corrects what it read (k8s.io/apiserver v0.37.2 pkg/admission/plugin/resourcequota/
 * controller.go, IsDryRun). Not in the attack table, whose rows are single dry runs: the server's
 * own answer, for objects created for real up to the count by the team's account (Secrets and a
 * custom kind), is test/cluster/quota.spec.ts.
 */
export const quotaAttacks: readonly FieldAttack[] = [
    {
        attack: "one Secret more than its quota's count, to fill etcd",
        deniedBy: "ResourceQuota", needs: { kind: "ResourceQuota", name: teamFenceNames.quota, namespace: "team1" },
        given: secretsToTheQuota,
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "secrets"), body: secret("one-too-many") }),
    },
];

export const fieldExpected: readonly Expected[] = [
    {
        who: "kustomize-controller, as the team's account", does: "apply a HelmRelease on the team's dedicated controllers whose chart carries the same shard label",
        source: "helm-controller v1.6.3 internal/reconcile/helmchart_template.go, buildHelmChartFromTemplate (the HelmChart's labels are spec.chart.metadata.labels)",
        request: () => onItsShard("web", { chart: { ...podinfoChart, metadata: { labels: { [shardingLabel]: fluxV2Team } } } }),
    },
    {
        who: "kustomize-controller, as the team's account", does: "apply a HelmRelease on the team's dedicated controllers that names its chart by spec.chartRef",
        source: "helm-controller v1.6.3 internal/reconcile/helmchart_template.go, Reconcile (no HelmChart is made for a chartRef); flux-operator v0.58.1 docs/guides/instance/instance-sharding.md",
        request: () => onItsShard("web", { chartRef: { kind: "OCIRepository", name: "podinfo" } }),
    },
    {
        who: "a team's fluxd", does: "apply a ClusterIP Service (no externalIPs)",
        source: "components/fence/reachGuardCel.ts: only externalIPs and ExternalName are refused",
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "services"), body: service("web", {}) }),
    },
    {
        who: "a team's fluxd", does: "apply a Deployment tolerating one taint by its key (a node pool of its own)",
        source: "components/fence/reachGuardCel.ts: only a toleration with no key tolerates every taint",
        request: () => ({
            user: teamFlux, method: "POST", path: apps("team1", "deployments"),
            body: deployment("pooled", (s) => ({ ...s, tolerations: [{ key: "example.com/pool", operator: "Exists", effect: "NoSchedule" }] })),
        }),
    },
    {
        who: "a team's fluxd", does: "apply a HorizontalPodAutoscaler on a Deployment of its own",
        source: "components/fence/reachGuardCel.ts: only the platform's workloads are refused as scale targets",
        request: () => ({ user: teamFlux, method: "POST", path: "/apis/autoscaling/v2/namespaces/team1/horizontalpodautoscalers", body: hpa("web", "Deployment", "web") }),
    },
    {
        who: "a team's fluxd", does: "apply a Canary of its own Deployment with the built-in metrics and a load tester of its own namespace",
        source: "flagger v1.44.0 docs/gitbook/usage/webhooks.md (a load tester in the Canary's namespace); components/fence/reachGuardCel.ts",
        request: () => ({ user: teamFlux, method: "POST", path: flagger("canaries"), body: canary("web", webhook("http://flagger-loadtester.team1/")) }),
    },
    {
        who: "a team's fluxd", does: "apply a MetricTemplate on a Prometheus of its own namespace, and an AlertProvider posting to Slack",
        source: "components/fence/reachGuardCel.ts: a Service of the team's own namespace, or a name outside the cluster",
        request: () => ({ user: teamFlux, method: "POST", path: flagger("metrictemplates"), body: metricTemplate("own-prometheus", { type: "prometheus", address: "http://prometheus.team1.svc.cluster.local:9090" }) }),
    },
    {
        who: "a team's fluxd", does: "apply an AlertProvider posting to Slack",
        source: "components/fence/reachGuardCel.ts: a name outside the cluster",
        request: () => ({ user: teamFlux, method: "POST", path: flagger("alertproviders"), body: alertProvider("slack", { address: "https://hooks.slack.com/services/T0/B0/X" }) }),
    },
    {
        who: "a Flux v2 team's account", does: "apply a ResourceSet depending on an object of its own namespace",
        source: "flux-operator v0.58.1 internal/controller/resourceset_controller.go, checkDependencies",
        request: () => ({
            user: tenant, method: "POST", path: flux("fluxcd.controlplane.io", "v1", "resourcesets"),
            body: resourceSet("after-apps", [{ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", name: "apps", namespace: fluxV2Team, ready: true }]),
        }),
    },
];
