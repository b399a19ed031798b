// ValidatingAdmissionPolicies and their bindings, decided as the API server does
// (k8s.io/apiserver v0.36.3 pkg/admission/plugin/policy/validating and policy/matching): a
// request is judged by a policy when its matchConstraints match (resource rules with scope,
// excludeResourceRules, namespaceSelector, objectSelector), then a binding's matchResources, then
// all matchConditions; the policy's variables and validations are then evaluated with the CEL
// library the platform's other specs use. A CEL error counts as a failure under failurePolicy Fail.
// The `authorizer` variable is the API server's authorizer for the requester (k8s.io/apiserver
// v0.37.2 pkg/cel/library/authz.go): here the kit's RBAC, which is all the test server runs.
import { Environment } from "@marcbachmann/cel-js";
import { LabelSelector, selectorMatches } from "./labelSelector";
import { UserInfo } from "./users";

type Json = Record<string, any>;

export interface AdmissionAttributes {
    readonly operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
    readonly user: UserInfo;
    /** As the request handlers set it: for a Namespace object, the namespace's own name. */
    readonly namespace: string;
    readonly name: string;
    readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
    readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
    readonly subResource: string;
    readonly object: Json | null;
    readonly oldObject: Json | null;
}

interface NamedRuleWithOperations {
    readonly apiGroups: readonly string[];
    readonly apiVersions: readonly string[];
    readonly resources: readonly string[];
    readonly operations: readonly string[];
    readonly scope?: string;
}

interface MatchResources {
    readonly namespaceSelector?: LabelSelector;
    readonly objectSelector?: LabelSelector;
    readonly resourceRules?: readonly NamedRuleWithOperations[];
    readonly excludeResourceRules?: readonly NamedRuleWithOperations[];
}

const wildcardOr = (items: readonly string[], requested: string) => items.includes("*") || items.includes(requested);

/** rules.go, Matcher.Matches: scope, operation, group, version, resource with subresource. */
function ruleMatches(rule: NamedRuleWithOperations, a: AdmissionAttributes): boolean {
    const isNamespaceObject = a.resource.group === "" && a.resource.resource === "namespaces";
    const scope = rule.scope ?? "*";
    const scoped = scope === "*" ||
        (scope === "Namespaced" && !isNamespaceObject && a.namespace !== "") ||
        (scope === "Cluster" && (isNamespaceObject || a.namespace === ""));
    const resource = rule.resources.some((r) => {
        const [res, sub = ""] = r.split("/", 2) as [string, string?];
        return (res === "*" || res === a.resource.resource) && (sub === "*" || sub === a.subResource);
    });
    return scoped && wildcardOr(rule.operations, a.operation) && wildcardOr(rule.apiGroups, a.resource.group) &&
        wildcardOr(rule.apiVersions, a.resource.version) && resource;
}

/**
 * The labels a namespaceSelector is matched against (predicates/namespace/matcher.go,
 * GetNamespaceLabels): the new object's when the request creates or updates a Namespace itself,
 * else the stored namespace's. A cluster-scoped object other than a Namespace always matches.
 */
function namespaceSelected(selector: LabelSelector | undefined, a: AdmissionAttributes,
    namespaceLabels: (name: string) => Record<string, string>): boolean {
    const isNamespaceObject = a.resource.group === "" && a.resource.resource === "namespaces";
    if (a.namespace === "" && !isNamespaceObject) {
        return true;
    }
    if (selector === undefined || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
        return true;
    }
    const labels = isNamespaceObject && a.subResource === "" && (a.operation === "CREATE" || a.operation === "UPDATE")
        ? a.object?.metadata?.labels ?? {}
        : namespaceLabels(a.namespace);
    return selectorMatches(selector, labels);
}

// predicates/object/matcher.go: the new or the old object's labels.
function objectSelected(selector: LabelSelector | undefined, a: AdmissionAttributes): boolean {
    return [a.object, a.oldObject].some((o) => o !== null && selectorMatches(selector, o.metadata?.labels ?? {}));
}

function matches(m: MatchResources | undefined, a: AdmissionAttributes, namespaceLabels: (name: string) => Record<string, string>): boolean {
    if (m === undefined) {
        return true;
    }
    return namespaceSelected(m.namespaceSelector, a, namespaceLabels) &&
        objectSelected(m.objectSelector, a) &&
        (m.resourceRules === undefined || m.resourceRules.some((r) => ruleMatches(r, a))) &&
        !(m.excludeResourceRules ?? []).some((r) => ruleMatches(r, a));
}

/** What `authorizer....check(verb)` asks: a resource request with no namespace is cluster-wide. */
export interface AuthorizerAttributes {
    readonly group: string;
    readonly resource: string;
    readonly subresource: string;
    readonly namespace: string;
    readonly name: string;
    readonly verb: string;
}

/** The API server's authorizer, as the `authorizer` variable reaches it for the requester. */
export type Authorize = (attributes: AuthorizerAttributes) => boolean;

class Authorizer {
    constructor(readonly authorize: Authorize) {}
}
class GroupCheck {
    constructor(readonly authorizer: Authorizer, readonly group: string) {}
}
class ResourceCheck {
    constructor(readonly authorizer: Authorizer, readonly attributes: Omit<AuthorizerAttributes, "verb">) {}
}
class Decision {
    constructor(readonly allowed: boolean) {}
}

/** A URL as the API server's CEL library holds it: net/url's parse of the string (k8s.io/apiserver pkg/cel/library/urls.go). */
class CelUrl {
    constructor(readonly scheme: string, readonly host: string) {}
    /** net/url URL.Hostname: the host without its port and without the brackets of an IPv6 literal. */
    get hostname(): string {
        if (this.host.startsWith("[")) {
            return this.host.slice(1, this.host.indexOf("]"));
        }
        const colon = this.host.lastIndexOf(":");
        return colon === -1 ? this.host : this.host.slice(0, colon);
    }
}

/**
 * net/url's ParseRequestURI, as `isURL` and `url` check a string first: an absolute URI or an
 * absolute path, no control characters or spaces, an optional port of digits. Enough of it for the
 * kit's rows: the server decides them too, and the cluster tier fails where the two disagree.
 */
function parseRequestUri(s: string): CelUrl | undefined {
    if ([...s].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) {
        return undefined;
    }
    if (s.startsWith("/")) {
        return new CelUrl("", "");
    }
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(s);
    if (!scheme || !scheme[2].startsWith("/")) {
        return undefined;
    }
    if (!scheme[2].startsWith("//")) {
        return new CelUrl(scheme[1].toLowerCase(), "");
    }
    const authority = scheme[2].slice(2).split(/[/?#]/)[0];
    const host = authority.slice(authority.lastIndexOf("@") + 1);
    // net/url parseHost: after an IPv6 literal's "]", or after the last colon, only a port of digits.
    const colonPort = host.startsWith("[") ? host.slice(host.indexOf("]") + 1) : host.includes(":") ? host.slice(host.lastIndexOf(":")) : "";
    if ((host.startsWith("[") && !host.includes("]")) || !/^(:[0-9]*)?$/.test(colonPort)) {
        return undefined;
    }
    return new CelUrl(scheme[1].toLowerCase(), host);
}

// authz.go: authorizer.group(g).resource(r)[.subresource(s)][.namespace(n)][.name(n)].check(verb).allowed().
const cel = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
    .registerType("Authorizer", { ctor: Authorizer })
    .registerType("GroupCheck", { ctor: GroupCheck })
    .registerType("ResourceCheck", { ctor: ResourceCheck })
    .registerType("Decision", { ctor: Decision })
    .registerFunction("Authorizer.group(string): GroupCheck", (a: Authorizer, group: string) => new GroupCheck(a, group))
    .registerFunction("GroupCheck.resource(string): ResourceCheck", (g: GroupCheck, resource: string) =>
        new ResourceCheck(g.authorizer, { group: g.group, resource, subresource: "", namespace: "", name: "" }))
    .registerFunction("ResourceCheck.subresource(string): ResourceCheck", (r: ResourceCheck, subresource: string) =>
        new ResourceCheck(r.authorizer, { ...r.attributes, subresource }))
    .registerFunction("ResourceCheck.namespace(string): ResourceCheck", (r: ResourceCheck, namespace: string) =>
        new ResourceCheck(r.authorizer, { ...r.attributes, namespace }))
    .registerFunction("ResourceCheck.name(string): ResourceCheck", (r: ResourceCheck, name: string) =>
        new ResourceCheck(r.authorizer, { ...r.attributes, name }))
    .registerFunction("ResourceCheck.check(string): Decision", (r: ResourceCheck, verb: string) =>
        new Decision(r.authorizer.authorize({ ...r.attributes, verb })))
    .registerFunction("Decision.allowed(): bool", (d: Decision) => d.allowed)
    // urls.go: isURL(s), url(s).getScheme(), url(s).getHostname().
    .registerType("URL", { ctor: CelUrl })
    .registerFunction("isURL(string): bool", (s: string) => parseRequestUri(s) !== undefined)
    .registerFunction("url(string): URL", (s: string) => {
        const parsed = parseRequestUri(s);
        if (parsed === undefined) {
            throw new Error(`URL parse error during conversion from string: ${s}`);
        }
        return parsed;
    })
    .registerFunction("URL.getScheme(): string", (u: CelUrl) => u.scheme)
    .registerFunction("URL.getHostname(): string", (u: CelUrl) => u.hostname);

/** Evaluates CEL as the API server's admission policies do, with the authorizer library. */
export const evaluate = (expression: string, scope: Record<string, unknown>): unknown => cel.evaluate(expression, scope);

/** The `authorizer` variable of a policy's scope, answering with `authorize`. */
export const authorizerVariable = (authorize: Authorize): unknown => new Authorizer(authorize);

export interface PolicyDecision {
    readonly policy: string;
    readonly allowed: boolean;
    readonly messages: readonly string[];
}

/** One ValidatingAdmissionPolicy with its bindings, as the program creates them. */
export class AdmissionPolicy {
    constructor(private readonly policy: Json, private readonly bindings: readonly Json[]) {}

    get name(): string {
        return this.policy.metadata.name;
    }

    /** Undefined when the policy does not judge the request at all. */
    decide(a: AdmissionAttributes, namespaceLabels: (name: string) => Record<string, string>,
        authorize: Authorize = () => false): PolicyDecision | undefined {
        const spec = this.policy.spec;
        if (!matches(spec.matchConstraints, a, namespaceLabels)) {
            return undefined;
        }
        const bindings = this.bindings.filter((b) => matches(b.spec.matchResources, a, namespaceLabels));
        if (bindings.length === 0) {
            return undefined;
        }
        const vars: Record<string, unknown> = {};
        const scope = {
            object: a.object, oldObject: a.oldObject, params: null,
            request: {
                operation: a.operation, namespace: a.namespace, name: a.name,
                // Absent, not '', when there is none (admission/v1 AdmissionRequest, omitempty).
                ...(a.subResource === "" ? {} : { subResource: a.subResource }),
                kind: a.kind, resource: a.resource,
                userInfo: { username: a.user.username, groups: [...a.user.groups] },
            },
            variables: vars,
            authorizer: authorizerVariable(authorize),
        };
        const failClosed = spec.failurePolicy !== "Ignore";
        const messages: string[] = [];
        try {
            for (const condition of spec.matchConditions ?? []) {
                if (evaluate(condition.expression, scope) !== true) {
                    return undefined;
                }
            }
            for (const variable of spec.variables ?? []) {
                vars[variable.name] = evaluate(variable.expression, scope);
            }
            for (const validation of spec.validations ?? []) {
                if (evaluate(validation.expression, scope) !== true) {
                    messages.push(String(validation.messageExpression ? evaluate(validation.messageExpression, scope) : validation.message));
                }
            }
        } catch (error) {
            if (!failClosed) {
                return undefined;
            }
            messages.push(`${this.name} failed: ${(error as Error).message}`);
        }
        const denies = bindings.some((b) => (b.spec.validationActions ?? []).includes("Deny"));
        return { policy: this.name, allowed: messages.length === 0 || !denies, messages };
    }
}
