// The CEL of the TeamGuard's policy on the platform's own kinds: the namespaced kinds an engine
// or add-on installs that its controllers read only in their own namespace (the Flux Operator's
// FluxInstance and FluxReport, Gatekeeper's Config and pod statuses). A team has no use for them,
// and its quota does not count them, so they are refused rather than left to fill etcd.
import { AdmissionCel, judgedCondition } from "./teamGuardCel";

/** `kinds` as `<plural>.<group>`, by group: the policy's resource rules. */
export function kindRules(kinds: readonly string[]): { readonly group: string; readonly resources: readonly string[] }[] {
    const byGroup = new Map<string, string[]>();
    for (const kind of [...new Set(kinds)].sort()) {
        const dot = kind.indexOf(".");
        const [resource, group] = [kind.slice(0, dot), kind.slice(dot + 1)];
        byGroup.set(group, [...byGroup.get(group) ?? [], resource]);
    }
    return [...byGroup.entries()].map(([group, resources]) => ({ group, resources }));
}

/** Refuses every judged create or update of the policy's kinds (its rules say which) in a team namespace. */
export function platformKindsCel(): AdmissionCel {
    return {
        matchConditions: [judgedCondition],
        variables: [],
        validations: [{
            expression: "false",
            messageExpression: `request.resource.resource + "." + request.resource.group + " in " + request.namespace + ` +
                `": the platform's controllers read this kind only in their own namespace, and no team's quota counts it: " + ` +
                `request.userInfo.username + " may not " + request.operation.lowerAscii() + " one"`,
        }],
    };
}
