// Kubernetes RBAC as the API server decides it, over the Roles, ClusterRoles and bindings a
// cluster holds. Rule matching after kubernetes/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go
// and plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows); which rules apply to whom after
// pkg/registry/rbac/validation/rule.go (VisitRulesFor, appliesTo); the escalation check on
// writing roles and bindings after pkg/registry/rbac/escalation_check.go,
// pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased/storage.go and
// pkg/registry/rbac/validation/policy_comparator.go (Covers).
import { RequestInfo } from "./requestInfo";
import { UserInfo } from "./users";

export interface PolicyRule {
    readonly verbs: readonly string[];
    readonly apiGroups?: readonly string[];
    readonly resources?: readonly string[];
    readonly resourceNames?: readonly string[];
    readonly nonResourceURLs?: readonly string[];
}

export interface Subject {
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
}

export interface RoleRef {
    readonly kind: string;
    readonly name: string;
}

export interface Binding {
    readonly name: string;
    /** Absent for a ClusterRoleBinding. */
    readonly namespace?: string;
    readonly roleRef: RoleRef;
    readonly subjects: readonly Subject[];
}

export interface Role {
    readonly name: string;
    /** Absent for a ClusterRole. */
    readonly namespace?: string;
    readonly rules: readonly PolicyRule[];
}

const has = (list: readonly string[] | undefined, item: string) => (list ?? []).includes(item);

/** evaluation_helpers.go: VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches. */
export function ruleAllows(info: RequestInfo, rule: PolicyRule): boolean {
    const verb = has(rule.verbs, "*") || has(rule.verbs, info.verb);
    if (!info.isResourceRequest) {
        return verb && (rule.nonResourceURLs ?? []).some((url) => url === "*" || url === info.path ||
            (url.endsWith("*") && info.path.startsWith(url.replace(/\*+$/, ""))));
    }
    const combined = info.subresource === "" ? info.resource : `${info.resource}/${info.subresource}`;
    const resource = (rule.resources ?? []).some((r) => r === "*" || r === combined ||
        (info.subresource !== "" && r === `*/${info.subresource}`));
    const group = has(rule.apiGroups, "*") || has(rule.apiGroups, info.apiGroup);
    const name = (rule.resourceNames ?? []).length === 0 || has(rule.resourceNames, info.name);
    return verb && group && resource && name;
}

/** rule.go, appliesToUser: a ServiceAccount subject without a namespace is the binding's namespace's. */
function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
    switch (subject.kind) {
        case "User":
            return user.username === subject.name;
        case "Group":
            return user.groups.includes(subject.name);
        case "ServiceAccount": {
            const namespace = subject.namespace || bindingNamespace;
            return namespace !== "" && user.username === `system:serviceaccount:${namespace}:${subject.name}`;
        }
        default:
            return false;
    }
}

export interface Decision {
    readonly allowed: boolean;
    readonly reason: string;
}

export class Rbac {
    constructor(
        private readonly roles: readonly Role[],
        private readonly clusterRoles: readonly Role[],
        private readonly bindings: readonly Binding[],
    ) {}

    /** Rules of a role reference, as GetRoleReferenceRules finds them; [] for a missing role. */
    roleRules(ref: RoleRef, namespace: string): readonly PolicyRule[] {
        const found = ref.kind === "ClusterRole"
            ? this.clusterRoles.find((r) => r.name === ref.name)
            : this.roles.find((r) => r.namespace === namespace && r.name === ref.name);
        return found?.rules ?? [];
    }

    /** VisitRulesFor: every ClusterRoleBinding, then the RoleBindings of `namespace` when there is one. */
    rulesFor(user: UserInfo, namespace: string): Array<{ readonly source: string; readonly rule: PolicyRule }> {
        const found: Array<{ source: string; rule: PolicyRule }> = [];
        const visit = (binding: Binding, bindingNamespace: string) => {
            if (binding.subjects.some((s) => appliesTo(user, s, bindingNamespace))) {
                const kind = binding.namespace === undefined ? "ClusterRoleBinding" : `RoleBinding ${binding.namespace}/`;
                for (const rule of this.roleRules(binding.roleRef, bindingNamespace)) {
                    found.push({ source: `${kind}${kind.endsWith("/") ? "" : " "}${binding.name} (${binding.roleRef.kind} ${binding.roleRef.name})`, rule });
                }
            }
        };
        this.bindings.filter((b) => b.namespace === undefined).forEach((b) => visit(b, ""));
        if (namespace !== "") {
            this.bindings.filter((b) => b.namespace === namespace).forEach((b) => visit(b, namespace));
        }
        return found;
    }

    /** rbac.go, Authorize: allowed by the first rule that allows it, else no opinion (a denial). */
    authorize(user: UserInfo, info: RequestInfo): Decision {
        const match = this.rulesFor(user, info.namespace).find(({ rule }) => ruleAllows(info, rule));
        return match
            ? { allowed: true, reason: `allowed by ${match.source}` }
            : { allowed: false, reason: `no RBAC rule lets ${user.username} ${describe(info)}` };
    }

    /**
     * The registry's check on creating or updating a Role, ClusterRole or binding: a member of
     * system:masters may; else one who may `escalate` (roles) or `bind` (bindings) the role in the
     * namespace of the object (or cluster-wide for cluster objects); else only if the user already
     * holds every rule the object grants (Covers). Undefined when the request writes none of them.
     */
    escalationCheck(user: UserInfo, info: RequestInfo, object: Record<string, any>): Decision | undefined {
        const writes = info.verb === "create" || info.verb === "update" || info.verb === "patch";
        const kinds: Record<string, string> = { roles: "Role", clusterroles: "ClusterRole", rolebindings: "RoleBinding", clusterrolebindings: "ClusterRoleBinding" };
        if (!writes || info.apiGroup !== "rbac.authorization.k8s.io" || info.subresource !== "" || !(info.resource in kinds)) {
            return undefined;
        }
        if (user.groups.includes("system:masters")) {
            return { allowed: true, reason: "system:masters may escalate" };
        }
        const namespace = info.namespace;
        const isBinding = info.resource.endsWith("bindings");
        let granted: readonly PolicyRule[];
        if (isBinding) {
            const ref: RoleRef = object.roleRef;
            const resource = ref.kind === "ClusterRole" ? "clusterroles" : "roles";
            const bind: RequestInfo = { ...info, verb: "bind", resource, subresource: "", name: ref.name, apiGroup: "rbac.authorization.k8s.io" };
            if (this.authorize(user, bind).allowed) {
                return { allowed: true, reason: `${user.username} may bind ${ref.kind} ${ref.name}${namespace ? ` in ${namespace}` : " cluster-wide"}` };
            }
            granted = this.roleRules(ref, namespace);
        } else {
            const escalate: RequestInfo = { ...info, verb: "escalate", subresource: "" };
            if (this.authorize(user, escalate).allowed) {
                return { allowed: true, reason: `${user.username} may escalate ${info.resource}` };
            }
            granted = object.rules ?? [];
        }
        const owned = this.rulesFor(user, namespace).map(({ rule }) => rule);
        const uncovered = granted.flatMap(breakdown).filter((sub) => !owned.some((owner) => covers(owner, sub)));
        return uncovered.length === 0
            ? { allowed: true, reason: `${user.username} already holds every rule it grants` }
            : { allowed: false, reason: `${user.username} would grant rules it does not hold (escalation check): ${JSON.stringify(uncovered[0])}` };
    }
}

function describe(info: RequestInfo): string {
    if (!info.isResourceRequest) {
        return `${info.verb} ${info.path}`;
    }
    const resource = `${info.resource}${info.subresource ? `/${info.subresource}` : ""}${info.apiGroup ? `.${info.apiGroup}` : ""}`;
    return `${info.verb} ${resource}${info.name ? ` ${info.name}` : ""} ${info.namespace ? `in ${info.namespace}` : "cluster-wide"}`;
}

// policy_comparator.go, breakdownRule: one group, resource, verb and name per rule.
function breakdown(rule: PolicyRule): PolicyRule[] {
    const subrules: PolicyRule[] = [];
    for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
            for (const verb of rule.verbs) {
                const names = rule.resourceNames ?? [];
                if (names.length > 0) {
                    names.forEach((name) => subrules.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] }));
                } else {
                    subrules.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
                }
            }
        }
    }
    for (const url of rule.nonResourceURLs ?? []) {
        rule.verbs.forEach((verb) => subrules.push({ nonResourceURLs: [url], verbs: [verb] }));
    }
    return subrules;
}

const hasAll = (set: readonly string[] | undefined, items: readonly string[] | undefined) => (items ?? []).every((i) => has(set, i));

// policy_comparator.go, ruleCovers.
function covers(owner: PolicyRule, sub: PolicyRule): boolean {
    const urls = (sub.nonResourceURLs ?? []).every((path) => (owner.nonResourceURLs ?? []).some((o) =>
        o === path || (o.endsWith("*") && path.startsWith(o.replace(/\*+$/, "")))));
    const names = (sub.resourceNames ?? []).length === 0
        ? (owner.resourceNames ?? []).length === 0
        : (owner.resourceNames ?? []).length === 0 || hasAll(owner.resourceNames, sub.resourceNames);
    return (has(owner.verbs, "*") || hasAll(owner.verbs, sub.verbs)) &&
        (has(owner.apiGroups, "*") || hasAll(owner.apiGroups, sub.apiGroups)) &&
        (has(owner.resources, "*") || hasAll(owner.resources, sub.resources)) &&
        names && urls;
}

const events: PolicyRule = { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["create", "update", "patch"] };
const controllerRules: Record<string, readonly PolicyRule[]> = {
    "namespace-controller": [
        { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["namespaces/finalize", "namespaces/status"], verbs: ["update"] },
        { apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch", "delete", "deletecollection"] },
    ],
    "generic-garbage-collector": [{ apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch", "patch", "update", "delete"] }, events],
    "replicaset-controller": [
        { apiGroups: ["apps", "extensions"], resources: ["replicasets"], verbs: ["get", "list", "watch", "update"] },
        { apiGroups: ["apps", "extensions"], resources: ["replicasets/status", "replicasets/finalizers"], verbs: ["update"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["list", "watch", "patch", "create", "delete"] },
        events,
    ],
};

/**
 * The bootstrap roles and bindings every cluster has that the tables name
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, ClusterRoles and
 * ClusterRoleBindings): `cluster-admin` bound to system:masters; discovery and self-review for
 * every authenticated user; and the controllers of kube-controller-manager the tables send as,
 * each its own ServiceAccount in kube-system under --use-service-account-credentials
 * (bootstrappolicy/controller_policy.go, v1.37.2: `system:controller:<name>`).
 */
export const bootstrap: { readonly clusterRoles: readonly Role[]; readonly bindings: readonly Binding[] } = {
    clusterRoles: [
        { name: "cluster-admin", rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }] },
        {
            name: "system:discovery",
            rules: [{ nonResourceURLs: ["/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"], verbs: ["get"] }],
        },
        { name: "system:basic-user", rules: [{ apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], verbs: ["create"] }] },
        ...Object.entries(controllerRules).map(([name, rules]) => ({ name: `system:controller:${name}`, rules })),
    ],
    bindings: [
        { name: "cluster-admin", roleRef: { kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "system:masters" }] },
        { name: "system:discovery", roleRef: { kind: "ClusterRole", name: "system:discovery" }, subjects: [{ kind: "Group", name: "system:authenticated" }] },
        { name: "system:basic-user", roleRef: { kind: "ClusterRole", name: "system:basic-user" }, subjects: [{ kind: "Group", name: "system:authenticated" }] },
        ...Object.keys(controllerRules).map((name) => ({
            name: `system:controller:${name}`, roleRef: { kind: "ClusterRole", name: `system:controller:${name}` },
            subjects: [{ kind: "ServiceAccount", name, namespace: "kube-system" }],
        })),
    ],
};
