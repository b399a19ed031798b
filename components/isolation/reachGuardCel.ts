// The CEL of the ReachGuard's ValidatingAdmissionPolicies (reachGuard.ts), kept apart so the tests
// evaluate exactly what the policies carry: fields a team's objects may not carry because they reach
// outside its namespace, to nodes, other pods' traffic or other teams' controllers.
//
// One policy per shape of object: the API server type-checks every expression of a policy against
// every kind its rules name (k8s.io/apiserver v0.37.2 pkg/admission/plugin/policy/validating/
// typechecking.go, typesToCheck), so `object.spec.template.spec` may only be asked of kinds that have it.
import { EngineAdmission, EngineField } from "../shared/engine";
import { AdmissionCel, judgedCondition } from "./tenantGuardCel";

/** One admission rule of a policy: what it judges. */
export interface ReachRule {
    readonly apiGroups: readonly string[];
    readonly apiVersions: readonly string[];
    readonly resources: readonly string[];
    readonly operations: readonly string[];
}

/** One policy of the guard: its name, the requests it judges and its CEL. */
export interface ReachPolicy {
    readonly name: string;
    readonly rules: readonly ReachRule[];
    readonly cel: AdmissionCel;
}

export interface ReachSettings {
    /** Priority classes a team's pods may name; none: only the cluster's default priority. */
    readonly offeredPriorityClasses: readonly string[];
    /** Whether Flagger is installed: its kinds' references and addresses are judged then. */
    readonly flagger?: boolean;
}

/** Judged like every other request of a team: the TenantGuard's own match condition. */
const judged = [judgedCondition];

const createOrUpdate = ["CREATE", "UPDATE"];

/** `has()` of every step of `path` under `base`, so an absent field reads as absent. */
function hasPath(base: string, path: string): string {
    const steps = path.split(".");
    return steps.map((_, i) => `has(${base}.${steps.slice(0, i + 1).join(".")})`).join(" && ");
}

const who = "request.userInfo.username";
const what = `request.resource.resource + " " + request.name + " in " + request.namespace`;

/**
 * What a pod spec may not say, wherever it is (`variables.pod`):
 * - `nodeName`: the scheduler, its node selection and its taints are skipped; the kubelet of the
 *   named node runs the pod (kubernetes pkg/scheduler: a pod with nodeName is not queued).
 * - a toleration with operator Exists and no key, which tolerates every taint: the control plane's
 *   nodes and those reserved for other teams (core/v1 types.go, Toleration: "empty key with
 *   operator Exists matches all keys, values and effects").
 * - a priority class the platform does not offer: the system-node-critical and
 *   system-cluster-critical classes exist in every cluster and may be used from any namespace
 *   since Kubernetes 1.17 (plugin/pkg/admission/priority), and a higher priority preempts, that is
 *   evicts, other teams' pods.
 */
function podSpecCel(path: string, settings: ReachSettings): AdmissionCel {
    const offered = settings.offeredPriorityClasses.map((c) => `'${c}'`).join(", ");
    const kind = `request.kind.kind + " " + request.name + " in " + request.namespace`;
    return {
        matchConditions: judged,
        variables: [{ name: "pod", expression: path }],
        validations: [
            {
                expression: "!has(variables.pod.nodeName) || variables.pod.nodeName == ''",
                messageExpression: `${kind} + ": pods are placed by the scheduler; " + ${who} + " may not pin one to node " + variables.pod.nodeName`,
            },
            {
                expression: "!has(variables.pod.tolerations) || !variables.pod.tolerations.exists(t, " +
                    "has(t.operator) && t.operator == 'Exists' && (!has(t.key) || t.key == ''))",
                messageExpression: `${kind} + ": a toleration with operator Exists and no key tolerates every taint, ` +
                    `the control plane's and other teams' nodes too: " + ${who} + " may not set one"`,
            },
            {
                expression: "!has(variables.pod.priorityClassName) || variables.pod.priorityClassName == ''" +
                    (offered === "" ? "" : ` || variables.pod.priorityClassName in [${offered}]`),
                messageExpression: `${kind} + ": priority class " + variables.pod.priorityClassName + ` +
                    `" is not offered to teams (${offered === "" ? "none is: the cluster's default priority only" : `only ${settings.offeredPriorityClasses.join(", ")}`}); ` +
                    `a higher priority evicts other teams' pods"`,
            },
        ],
    };
}

/**
 * A Service's externalIPs take any address's traffic from every node (CVE-2020-8554, no fix in
 * Kubernetes: "restrict or deny them by admission"); an ExternalName Service points the cluster's DNS
 * and ingress controllers at any name, another namespace's Service too (CVE-2021-25740).
 */
function serviceCel(): AdmissionCel {
    return {
        matchConditions: judged,
        variables: [],
        validations: [
            {
                expression: "!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0",
                messageExpression: `${what} + ": externalIPs take traffic meant for any address from every node ` +
                    `(CVE-2020-8554): " + ${who} + " may not set them"`,
            },
            {
                expression: "!has(object.spec.type) || object.spec.type != 'ExternalName'",
                messageExpression: `${what} + ": an ExternalName Service points ingress controllers and DNS at any name, ` +
                    `other namespaces' Services too (CVE-2021-25740): " + ${who} + " may not make one"`,
            },
        ],
    };
}

/**
 * Writes a team never makes itself: Endpoints and EndpointSlices send a Service's traffic to any
 * address, another namespace's pods included (CVE-2021-25740; Kubernetes 1.22 took them out of the
 * `edit` and `admin` roles, plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), and a
 * Binding places a pod on the node it names, the scheduler skipped as with nodeName. Their
 * controllers and the scheduler make them, and are not the team.
 */
function controllersOnlyCel(): AdmissionCel {
    const subResource = "(has(request.subResource) ? '/' + request.subResource : '')";
    return {
        matchConditions: judged,
        variables: [],
        validations: [{
            expression: "false",
            messageExpression: `request.resource.resource + ${subResource} + " in " + request.namespace + ` +
                `" are written by the cluster's controllers and scheduler, not by a team: " + ${who} + " may not " + request.operation.lowerAscii() + " them"`,
        }],
    };
}

/** Every entry of an engine's list of references names the object's own namespace, not none. */
function namespaceReferenceCel(field: EngineField): AdmissionCel {
    const list = `object.spec.${field.path}`;
    return {
        matchConditions: judged,
        variables: [],
        validations: [{
            expression: `!(${hasPath("object.spec", field.path)}) || ${list}.all(r, has(r.namespace) && r.namespace == request.namespace)`,
            messageExpression: `${what} + ": spec.${field.path} must name its own namespace, " + request.namespace + ", in every entry: ` +
                `the engine reads them with its own rights, not " + ${who} + "'s"`,
        }],
    };
}

/**
 * The engine's shard label in metadata its controllers copy onto objects they make: only the team's
 * own shard, and the same as the object's own, since the object the controller makes is
 * reconciled by the controllers its own label names, and they look up the sources the object names
 * with their own label selector. A HelmRelease on the team's dedicated controllers whose HelmChart
 * went to the shared source-controller never gets its chart: the shared one does not see the
 * team's shard-labelled HelmRepository (helm-controller v1.6.3 internal/reconcile/helmchart_template.go
 * `buildHelmChartFromTemplate`: the HelmChart's labels are `spec.chart.metadata.labels` and nothing
 * else; source-controller v1.9.1 main.go, `ByObject` label selector on HelmRepository and HelmChart).
 */
function labelTemplateCel(field: EngineField, label: string): AdmissionCel {
    const labels = `object.spec.${field.path}.labels`;
    const made = field.path.split(".").slice(0, -1).join(".");
    const shardOf = (has: string, map: string) => `((${has}) && '${label}' in ${map} ? ${map}['${label}'] : '')`;
    const own = shardOf("has(object.metadata.labels)", "object.metadata.labels");
    const template = shardOf(hasPath("object.spec", `${field.path}.labels`), labels);
    const teams = "['', request.namespace]";
    return {
        matchConditions: judged,
        variables: [],
        validations: [
            {
                expression: `!(${hasPath("object.spec", `${field.path}.labels`)}) || !('${label}' in ${labels}) || ${labels}['${label}'] == request.namespace`,
                messageExpression: `${what} + ": spec.${field.path}.labels may carry ${label} only with its own team's name, " + request.namespace + ` +
                    `", not " + ${labels}['${label}'] + ": another team's controllers are not its to use"`,
            },
            {
                // Another team's name on either is the rule above's, and the TenantGuard's.
                expression: `${made === "" ? "false" : `!(${hasPath("object.spec", made)})`} || !(${own} in ${teams}) || !(${template} in ${teams}) || ${own} == ${template}`,
                messageExpression: `${what} + ": the object made from spec.${made} would go to other controllers than it: set spec.${field.path}.labels['${label}'] to " + ` +
                    `(${own} == '' ? "nothing" : ${own}) + ", as on the object itself (docs/engines.md, Dedicated controllers: what the team writes)"`,
            },
        ],
    };
}

const workloadTemplates: readonly ReachRule[] = [
    { apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], operations: createOrUpdate },
    { apiGroups: ["batch"], apiVersions: ["v1"], resources: ["jobs"], operations: createOrUpdate },
    { apiGroups: [""], apiVersions: ["v1"], resources: ["replicationcontrollers"], operations: createOrUpdate },
];

/** The policies' names, for the tests and the docs. */
export const reachGuardPolicyNames = {
    pods: "gitops-platform-pod-reach",
    workloads: "gitops-platform-workload-reach",
    cronJobs: "gitops-platform-cronjob-reach",
    services: "gitops-platform-service-reach",
    controllersOnly: "gitops-platform-controllers-only",
    namespaceReferences: (field: EngineField) => `gitops-platform-${field.resource}-references`,
    labelTemplates: (field: EngineField) => `gitops-platform-${field.resource}-shards`,
    scaleTargets: "gitops-platform-scale-targets",
    canaries: "gitops-platform-canaries",
    metricTemplates: "gitops-platform-metric-templates",
    alertProviders: "gitops-platform-alert-providers",
} as const;

/**
 * Every policy of the guard. Pods are judged both bare and in the templates of the workloads that
 * make them: a controller (with cluster-wide rights, not the team) creates the pods of a
 * Deployment, so the team's request is the template's; a pod of a template the guard refused never
 * exists. Pods are judged on update too: their tolerations may grow.
 */
export function reachGuardPolicies(engines: readonly EngineAdmission[], settings: ReachSettings): ReachPolicy[] {
    const shardLabel = engines.find((engine) => engine.shardLabel !== undefined)?.shardLabel;
    return [
        {
            name: reachGuardPolicyNames.pods,
            rules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: createOrUpdate }],
            cel: podSpecCel("object.spec", settings),
        },
        { name: reachGuardPolicyNames.workloads, rules: workloadTemplates, cel: podSpecCel("object.spec.template.spec", settings) },
        {
            name: reachGuardPolicyNames.cronJobs,
            rules: [{ apiGroups: ["batch"], apiVersions: ["v1"], resources: ["cronjobs"], operations: createOrUpdate }],
            cel: podSpecCel("object.spec.jobTemplate.spec.template.spec", settings),
        },
        {
            name: reachGuardPolicyNames.services,
            rules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["services"], operations: createOrUpdate }],
            cel: serviceCel(),
        },
        {
            name: reachGuardPolicyNames.controllersOnly,
            rules: [
                { apiGroups: [""], apiVersions: ["v1"], resources: ["endpoints"], operations: createOrUpdate },
                { apiGroups: ["discovery.k8s.io"], apiVersions: ["v1"], resources: ["endpointslices"], operations: createOrUpdate },
                { apiGroups: [""], apiVersions: ["v1"], resources: ["bindings", "pods/binding"], operations: ["CREATE"] },
            ],
            cel: controllersOnlyCel(),
        },
        ...unique(engines.flatMap((engine) => engine.namespaceReferences ?? [])).map((field) => ({
            name: reachGuardPolicyNames.namespaceReferences(field),
            rules: [{ apiGroups: [field.group], apiVersions: [field.version], resources: [field.resource], operations: createOrUpdate }],
            cel: namespaceReferenceCel(field),
        })),
        ...(shardLabel === undefined ? [] : unique(engines.flatMap((engine) => engine.labelTemplates ?? [])).map((field) => ({
            name: reachGuardPolicyNames.labelTemplates(field),
            rules: [{ apiGroups: [field.group], apiVersions: [field.version], resources: [field.resource], operations: createOrUpdate }],
            cel: labelTemplateCel(field, shardLabel),
        }))),
        ...deputyPolicies(engines, settings.flagger ?? false),
    ];
}

function unique(fields: readonly EngineField[]): EngineField[] {
    const seen = new Map<string, EngineField>();
    for (const field of fields) {
        seen.set(JSON.stringify(field), field);
    }
    return [...seen.values()];
}

/**
 * The workloads the platform runs in a team namespace, by name: each engine's team Deployment (Flux
 * v1's fluxd `flux`; Flux v2 and Flagger run none there) and its ReplicaSets, `<deployment>-<hash>`
 * with the hash in the safe alphabet of k8s.io/apimachinery pkg/util/rand (SafeEncodeString), which
 * a team's own Deployment `<deployment>-<word>` cannot make (its ReplicaSets carry a second dash).
 */
export function platformWorkloadCel(engines: readonly EngineAdmission[], name: string): string {
    const deployments = [...new Set(engines.flatMap((engine) => engine.teamDeployment === undefined ? [] : [engine.teamDeployment]))];
    return deployments.length === 0 ? "false" : deployments
        .map((d) => `(${name} == '${d}' || ${name}.matches('^${d}-[bcdfghjklmnpqrstvwxz2456789]+$'))`).join(" || ");
}

/**
 * Whether Flagger, calling `url` from its own pod in flagger-system, stays in the team's own
 * namespace or out of the cluster, judged by the URL's host as Go parses it (the API server's CEL
 * `url()` is net/url's Parse, as Flagger's pkg/controller/webhook.go and the providers' clients are;
 * k8s.io/apiserver pkg/cel/library/urls.go, in the base environment of v0.30.14 and v0.37.2,
 * pkg/cel/environment/base.go). Allowed: a Service of the team's
 * namespace (`<svc>.<team>`, `.svc`, `.svc.cluster.local`, any port). Refused: what the cluster's
 * DNS or network gives another address from Flagger's pod, whose search list is
 * `flagger-system.svc.cluster.local svc.cluster.local cluster.local` with ndots 5 (the kubelet's
 * ClusterFirst resolv.conf, kubernetes pkg/kubelet/network/dns/dns.go): a single label
 * (a Service of flagger-system, Prometheus among them), two labels (`<svc>.<namespace>` of any
 * namespace), a `svc` or `pod` label (Services and, under CoreDNS' `pods insecure`, any pod IP), a
 * name under `cluster.local`, `localhost`, and IP literals. Only http and https.
 */
export function callableUrlCel(url: string): string {
    const host = `url(${url}).getHostname().lowerAscii()`;
    const ownService = `${host}.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]' + request.namespace + '([.]svc([.]cluster[.]local)?)?[.]?$')`;
    const inCluster = [
        `${host}.contains(':')`,
        `${host}.matches('^[0-9.]+$')`,
        `!${host}.contains('.')`,
        `${host}.matches('^[^.]+[.][^.]+$')`,
        `${host}.matches('[.](svc|pod)([.]|$)')`,
        `${host}.matches('(^|[.])(cluster[.]local|localhost)[.]?$')`,
    ].join(" || ");
    return `(isURL(${url}) && url(${url}).getScheme() in ['http', 'https'] && (${ownService} || !(${inCluster})))`;
}

const urlMessage = (field: string, value: string) =>
    `${what} + ": ${field} " + ${value} + " is neither a Service of " + request.namespace + " nor outside the cluster: ` +
    `Flagger would call it from flagger-system with its own reach, not " + ${who} + "'s"`;

/**
 * Metric providers that Flagger runs with its own identity, not the team's (flagger v1.44.0
 * pkg/metrics/providers): `externalmetrics` copies Flagger's own Kubernetes client config and sends
 * its token to the template's address (externalmetrics.go, rest.CopyConfig), and reads external
 * metrics of any namespace the query names; `keptn` reads and creates Keptn objects in any
 * namespace the query names with Flagger's client (keptn.go); `cloudwatch` signs with the AWS
 * credentials of Flagger's pod (cloudwatch.go, session.NewSession) and `stackdriver`, when the
 * Secret holds no key, with Google's default credentials of Flagger's pod (stackdriver.go).
 */
export const flaggerOwnIdentityProviders = ["externalmetrics", "keptn", "cloudwatch", "stackdriver"];

/** `object.spec.<path>` is set and not empty. */
const setString = (path: string) => `${hasPath("object.spec", path)} && object.spec.${path} != ''`;

/**
 * The policies that keep shared controllers, acting with their own rights for a team's object,
 * inside the team's namespace:
 * - the HPA controller scales whatever `scaleTargetRef` names in the HPA's namespace (kubernetes
 *   v1.37.2 pkg/controller/podautoscaler/horizontal.go, reconcileAutoscaler: the scale subresource
 *   of the target, by name, mapped from its kind): not the platform's workloads;
 * - Flagger (v1.44.0, charts/flagger/crds/crd.yaml) copies the Canary's `targetRef` Deployment or
 *   DaemonSet to `<name>-primary` and scales it to zero (pkg/canary/deployment_controller.go,
 *   Initialize and ScaleToZero): not the platform's; it calls `analysis.webhooks[].url` and the
 *   Prometheus at `metricsServer` and writes what they answer into the Canary's Events
 *   (pkg/controller/webhook.go, scheduler_metrics.go); an in-line `analysis.metrics[].query` runs
 *   on the platform's Prometheus, which holds every team's metrics, unless `metricsServer` names
 *   another; a MetricTemplate's `provider.address` and an AlertProvider's `address` and `proxy` are
 *   called the same way (pkg/metrics/providers, pkg/notifier).
 * `autoscalerRef` is read only (Flagger copies the named HPA to `<name>-primary`, whose target is
 * `<targetRef.name>-primary`: pkg/canary/hpa_reconciler.go), and the platform runs no autoscaler in
 * a team namespace, so it is not judged.
 */
function deputyPolicies(engines: readonly EngineAdmission[], flagger: boolean): ReachPolicy[] {
    const refMessage = (field: string) =>
        `${what} + ": ${field} " + object.spec.${field} + " is the platform's workload: its controller would act on it for " + ${who}`;
    const scaleTargets: ReachPolicy = {
        name: reachGuardPolicyNames.scaleTargets,
        rules: [{ apiGroups: ["autoscaling"], apiVersions: ["*"], resources: ["horizontalpodautoscalers"], operations: createOrUpdate }],
        cel: {
            matchConditions: judged, variables: [],
            validations: [{
                expression: `!(${platformWorkloadCel(engines, "object.spec.scaleTargetRef.name")})`,
                messageExpression: refMessage("scaleTargetRef.name"),
            }],
        },
    };
    if (!flagger) {
        return [scaleTargets];
    }
    const flaggerRule = (resource: string) => [{ apiGroups: ["flagger.app"], apiVersions: ["*"], resources: [resource], operations: createOrUpdate }];
    const webhooks = "object.spec.analysis.webhooks";
    const metrics = "object.spec.analysis.metrics";
    const urlField = (path: string) => ({
        expression: `!(${setString(path)}) || ${callableUrlCel(`object.spec.${path}`)}`,
        messageExpression: urlMessage(path, `object.spec.${path}`),
    });
    return [
        scaleTargets,
        {
            name: reachGuardPolicyNames.canaries,
            rules: flaggerRule("canaries"),
            cel: {
                matchConditions: judged, variables: [],
                validations: [
                    {
                        expression: `!has(object.spec.targetRef) || !(${platformWorkloadCel(engines, "object.spec.targetRef.name")})`,
                        messageExpression: refMessage("targetRef.name"),
                    },
                    {
                        expression: `!(${hasPath("object.spec", "analysis.webhooks")}) || ${webhooks}.all(w, ${callableUrlCel("w.url")})`,
                        messageExpression: urlMessage("analysis.webhooks[].url", `${webhooks}.filter(w, !${callableUrlCel("w.url")}).map(w, w.url).join(", ")`),
                    },
                    urlField("metricsServer"),
                    {
                        expression: `${setString("metricsServer")} || !(${hasPath("object.spec", "analysis.metrics")}) || ` +
                            `${metrics}.all(m, !has(m.query) || m.query == '')`,
                        messageExpression: `${what} + ": an in-line analysis.metrics[].query runs on the platform's Prometheus, which holds every ` +
                            `team's metrics: " + ${who} + " may use the built-in metrics, or name its own Prometheus in metricsServer or a MetricTemplate"`,
                    },
                ],
            },
        },
        {
            name: reachGuardPolicyNames.metricTemplates,
            rules: flaggerRule("metrictemplates"),
            cel: {
                matchConditions: judged, variables: [],
                validations: [
                    {
                        expression: `!(${hasPath("object.spec", "provider.type")}) || !(object.spec.provider.type in ${JSON.stringify(flaggerOwnIdentityProviders).replace(/"/g, "'")})`,
                        messageExpression: `${what} + ": provider " + object.spec.provider.type + " runs with Flagger's own identity, ` +
                            `not " + ${who} + "'s"`,
                    },
                    urlField("provider.address"),
                ],
            },
        },
        {
            name: reachGuardPolicyNames.alertProviders,
            rules: flaggerRule("alertproviders"),
            cel: { matchConditions: judged, variables: [], validations: [urlField("address"), urlField("proxy")] },
        },
    ];
}
