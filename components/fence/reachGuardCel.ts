// The CEL of the ReachGuard's ValidatingAdmissionPolicies (reachGuard.ts), kept apart so the tests
// evaluate exactly what the policies carry: fields a team's objects may not carry because they reach
// outside its namespace, to nodes, other pods' traffic or other teams' controllers.
//
// One policy per shape of object: each expression is type-checked against every kind its policy
// names (docs/upstream.md, "What admission sees of a request").
import { EngineAdmission, EngineField } from "../shared/engine";
import { AdmissionCel, judgedCondition } from "./teamGuardCel";

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

/** What the stack offers teams that the ReachGuard's rules depend on. */
export interface ReachSettings {
    /** Priority classes a team's pods may name; none: only the cluster's default priority. */
    readonly offeredPriorityClasses: readonly string[];
    /** Whether Flagger is installed: its kinds' references and addresses are judged then. */
    readonly flagger?: boolean;
}

/** Judged like every other request of a team: the TeamGuard's own match condition. */
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
 * What a pod spec may not say, wherever it is (`variables.pod`): a `nodeName` (it skips the
 * scheduler and the taints), a toleration of every taint (the control plane's and other teams'
 * nodes), a priority class not offered (the system ones are usable from any namespace and evict
 * other teams' pods). Upstream: docs/upstream.md, "Fields that reach outside a namespace".
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
 * A Service's externalIPs take any address's traffic from every node (CVE-2020-8554); an
 * ExternalName Service points DNS and ingress controllers at any name (CVE-2021-25740).
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
 * Writes only controllers and the scheduler make, never a team: Endpoints and EndpointSlices send
 * a Service's traffic to any address (CVE-2021-25740), a Binding places a pod on any node
 * (docs/upstream.md, "Fields that reach outside a namespace").
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
 * The shard label in metadata an engine's controllers copy onto objects they make: only the
 * team's own shard, and the same as the object's own, or the made object goes to controllers that
 * cannot see its sources (a HelmChart never gets its chart; docs/upstream.md, "Shards").
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
                // Another team's name on either is the rule above's, and the TeamGuard's.
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
 * v1's fluxd `flux`; Flux v2 and Flagger run none there) and its ReplicaSets `<deployment>-<hash>`,
 * a name a team's own Deployment cannot give its ReplicaSets (docs/upstream.md, "Fields that reach
 * outside a namespace", ReplicaSet names).
 */
export function platformWorkloadCel(engines: readonly EngineAdmission[], name: string): string {
    const deployments = [...new Set(engines.flatMap((engine) => engine.teamDeployment === undefined ? [] : [engine.teamDeployment]))];
    return deployments.length === 0 ? "false" : deployments
        .map((d) => `(${name} == '${d}' || ${name}.matches('^${d}-[bcdfghjklmnpqrstvwxz2456789]+$'))`).join(" || ");
}

/**
 * Whether Flagger, calling `url` from its own pod in flagger-system, stays in the team's own
 * namespace or out of the cluster, judged by the URL's host as Flagger parses it. Allowed: a Service
 * of the team's namespace (`<svc>.<team>`, `.svc`, `.svc.cluster.local`, any port), or a name outside
 * the cluster. Refused, as the cluster's DNS resolves them from flagger-system to another address: a
 * single label (flagger-system's own Services, Prometheus among them), two labels, a `svc` or `pod`
 * label, names under `cluster.local`, `localhost`, IP literals; and any scheme but http and https
 * (docs/upstream.md, "Fields that reach outside a namespace": URLs in CEL, DNS from a pod).
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
 * Metric providers that Flagger runs with its own identity, not the team's: its Kubernetes token,
 * its client, its pod's cloud credentials (docs/upstream.md, "What Flagger does for a team's
 * objects, with its own rights").
 */
export const flaggerOwnIdentityProviders = ["externalmetrics", "keptn", "cloudwatch", "stackdriver"];

/** `object.spec.<path>` is set and not empty. */
const setString = (path: string) => `${hasPath("object.spec", path)} && object.spec.${path} != ''`;

/**
 * The policies that keep shared controllers, acting with their own rights for a team's object,
 * inside the team's namespace: an HPA's `scaleTargetRef` and a Canary's `targetRef` may not name
 * the platform's workloads (the controller would scale them), and the URLs Flagger calls stay in
 * the namespace or out of the cluster; an in-line metric query would run on the platform's
 * Prometheus, which holds every team's metrics. `autoscalerRef` is only read, so not judged.
 * Upstream: docs/upstream.md, "Fields that reach outside a namespace" and "What Flagger does for
 * a team's objects, with its own rights".
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
