// The ContainerResources policy itself, as the CEL Gatekeeper runs (engine K8sNativeValidation):
// the seed's six rules, written once as a table. The tests import the very CEL below and evaluate
// it, so what is tested is what the ConstraintTemplate carries.
//
// CEL only, no Rego: with `enableK8sNativeValidation: true` (gatekeeper.ts) Gatekeeper runs a
// template's CEL and never a Rego beside it, and a CEL that failed to compile would fail the
// template rather than fall back (docs/upstream.md, "CEL, and the API server enforcing it").
//
// Init containers are checked too, and named as such: they count against the quota like any
// container, which refuses a pod whose init container lacks what it caps (requests.cpu,
// limits.memory); a refusal on the workload is kinder than a ReplicaSet that silently cannot create
// pods. Ephemeral containers cannot carry resources, so are not checked.

/** The kind of the per-team constraints; the template's name is its lowercase. */
export const containerResourcesKind = "ContainerResources";

/** Workloads whose pod template is checked: apps kinds with the template at spec.template.spec. */
export const checkedWorkloads = { apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet", "DaemonSet"] } as const;

interface ResourceRule {
    /** What the container has no of, as the message says: `container <NAME> has no <lacks>`. */
    readonly lacks: string;
    /** CEL, true when container `c` breaks the rule. */
    readonly cel: string;
}

// Each rule names the most specific thing missing, so a container gets one message per gap, not
// a cascade: no requests and no limits reads "has no resources" and nothing else. The API server
// fills in `resources: {}` on every container, so "no resources" means neither requests nor limits.
const rules: readonly ResourceRule[] = [
    {
        lacks: "resources",
        cel: "!has(c.resources) || (!has(c.resources.requests) && !has(c.resources.limits))",
    },
    {
        lacks: "requests",
        cel: "has(c.resources) && has(c.resources.limits) && !has(c.resources.requests)",
    },
    {
        lacks: "cpu requests",
        cel: "has(c.resources) && has(c.resources.requests) && !('cpu' in c.resources.requests)",
    },
    {
        lacks: "memory requests",
        cel: "has(c.resources) && has(c.resources.requests) && !('memory' in c.resources.requests)",
    },
    {
        lacks: "limits",
        cel: "has(c.resources) && has(c.resources.requests) && !has(c.resources.limits)",
    },
    {
        lacks: "memory limits",
        cel: "has(c.resources) && has(c.resources.limits) && !('memory' in c.resources.limits)",
    },
];

const pod = "variables.anyObject.spec.template.spec";

export interface CelVariable {
    readonly name: string;
    readonly expression: string;
}

export interface CelValidation {
    readonly expression: string;
    readonly messageExpression: string;
}

export interface CelSource {
    /**
     * What an error in the CEL (rather than a violation) does to the request, in the generated
     * ValidatingAdmissionPolicy and in Gatekeeper's own validator alike (docs/upstream.md, "CEL,
     * and the API server enforcing it").
     */
    readonly failurePolicy: "Fail" | "Ignore";
    readonly variables: readonly CelVariable[];
    readonly validations: readonly CelValidation[];
}

/**
 * The K8sNativeValidation source. Gatekeeper defines `variables.anyObject` (the object under
 * review); each failing validation is one violation naming every container that breaks its rule.
 */
export const celSource: CelSource = {
    // Fail is the default anyway; said here so that "fails closed" (docs/fence.md) is in the
    // template, not in a default. Every field the CEL reads is guarded by has(), and the binding
    // admits when its constraint is gone, so only a broken expression would deny by error
    // (docs/upstream.md, "CEL, and the API server enforcing it").
    failurePolicy: "Fail",
    variables: [
        { name: "containers", expression: `has(${pod}.containers) ? ${pod}.containers : []` },
        { name: "initContainers", expression: `has(${pod}.initContainers) ? ${pod}.initContainers : []` },
    ],
    validations: rules.map((rule) => ({
        expression: `variables.containers.all(c, !(${rule.cel})) && variables.initContainers.all(c, !(${rule.cel}))`,
        messageExpression:
            `(variables.containers.filter(c, ${rule.cel}).map(c, "container <" + c.name + "> has no ${rule.lacks}")` +
            ` + variables.initContainers.filter(c, ${rule.cel}).map(c, "init container <" + c.name + "> has no ${rule.lacks}"))` +
            ".join(\", \")",
    })),
};
