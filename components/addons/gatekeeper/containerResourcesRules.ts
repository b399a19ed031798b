// The ContainerResources policy itself, as text Gatekeeper runs: the seed's six rules, written
// once as a table and rendered both as CEL (K8sNativeValidation, which Gatekeeper prefers when it
// is enabled) and as Rego (rule `violation`, the fallback). The tests import the very CEL below
// and evaluate it, so what is tested is what the ConstraintTemplate carries.
//
// Init containers are checked too, and named as such: they count against the namespace's
// ResourceQuota like any container, and a quota on requests.cpu / limits.memory rejects a pod
// whose init container lacks them, so catching that on the workload is kinder than a ReplicaSet
// that silently cannot create pods. Ephemeral containers cannot carry resources, so are not.

/** The kind of the per-team constraints; the template's name is its lowercase. */
export const containerResourcesKind = "ContainerResources";

/** Workloads whose pod template is checked: apps kinds with the template at spec.template.spec. */
export const checkedWorkloads = { apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet", "DaemonSet"] } as const;

interface ResourceRule {
    /** What the container has no of, as the message says: `container <NAME> has no <lacks>`. */
    readonly lacks: string;
    /** CEL, true when container `c` breaks the rule. */
    readonly cel: string;
    /** Rego body lines, all true when `container` breaks the rule. */
    readonly rego: readonly string[];
}

// Each rule names the most specific thing missing, so a container gets one message per gap, not
// a cascade: no requests and no limits reads "has no resources" and nothing else. The API server
// fills in `resources: {}` on every container, so "no resources" means neither requests nor limits.
const rules: readonly ResourceRule[] = [
    {
        lacks: "resources",
        cel: "!has(c.resources) || (!has(c.resources.requests) && !has(c.resources.limits))",
        rego: ["not container.resources.requests", "not container.resources.limits"],
    },
    {
        lacks: "requests",
        cel: "has(c.resources) && has(c.resources.limits) && !has(c.resources.requests)",
        rego: ["container.resources.limits", "not container.resources.requests"],
    },
    {
        lacks: "cpu requests",
        cel: "has(c.resources) && has(c.resources.requests) && !('cpu' in c.resources.requests)",
        rego: ["container.resources.requests", "not container.resources.requests.cpu"],
    },
    {
        lacks: "memory requests",
        cel: "has(c.resources) && has(c.resources.requests) && !('memory' in c.resources.requests)",
        rego: ["container.resources.requests", "not container.resources.requests.memory"],
    },
    {
        lacks: "limits",
        cel: "has(c.resources) && has(c.resources.requests) && !has(c.resources.limits)",
        rego: ["container.resources.requests", "not container.resources.limits"],
    },
    {
        lacks: "memory limits",
        cel: "has(c.resources) && has(c.resources.limits) && !('memory' in c.resources.limits)",
        rego: ["container.resources.limits", "not container.resources.limits.memory"],
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
    readonly variables: readonly CelVariable[];
    readonly validations: readonly CelValidation[];
}

/**
 * The K8sNativeValidation source. Gatekeeper defines `variables.anyObject` (the object under
 * review); each failing validation is one violation naming every container that breaks its rule.
 */
export const celSource: CelSource = {
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

/** The Rego source: one violation per container and rule, with the same messages. */
export const regoSource = [
    "package containerresources",
    "",
    "pod_containers[{\"label\": \"container\", \"container\": c}] {",
    "  c := input.review.object.spec.template.spec.containers[_]",
    "}",
    "",
    "pod_containers[{\"label\": \"init container\", \"container\": c}] {",
    "  c := input.review.object.spec.template.spec.initContainers[_]",
    "}",
    ...rules.flatMap((rule) => [
        "",
        "violation[{\"msg\": msg}] {",
        "  entry := pod_containers[_]",
        "  container := entry.container",
        ...rule.rego.map((line) => `  ${line}`),
        `  msg := sprintf("%v <%v> has no ${rule.lacks}", [entry.label, container.name])`,
        "}",
    ]),
    "",
].join("\n");
