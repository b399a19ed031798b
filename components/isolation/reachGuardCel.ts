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

/** The engine's shard label in metadata its controllers copy onto objects they make. */
function labelTemplateCel(field: EngineField, label: string): AdmissionCel {
    const labels = `object.spec.${field.path}.labels`;
    return {
        matchConditions: judged,
        variables: [],
        validations: [{
            expression: `!(${hasPath("object.spec", `${field.path}.labels`)}) || !('${label}' in ${labels}) || ${labels}['${label}'] == request.namespace`,
            messageExpression: `${what} + ": spec.${field.path}.labels may carry ${label} only with its own team's name, " + request.namespace + ` +
                `", not " + ${labels}['${label}'] + ": another team's controllers are not its to use"`,
        }],
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
    ];
}

function unique(fields: readonly EngineField[]): EngineField[] {
    const seen = new Map<string, EngineField>();
    for (const field of fields) {
        seen.set(JSON.stringify(field), field);
    }
    return [...seen.values()];
}
