// Reading Kubernetes objects as a policy receives them: Pulumi type tokens and plain JSON props,
// read defensively, since a policy must judge malformed objects too.
import { UnknownValueError } from "@pulumi/policy";

export type Props = Record<string, unknown>;

/** Whether a Pulumi type token (`kubernetes:apps/v1:Deployment`) names this kind, in any API version. */
export function isKind(type: string, group: string, kind: string): boolean {
    const [pkg, module, name] = type.split(":");
    return pkg === "kubernetes" && name === kind && module !== undefined &&
        module.slice(0, module.lastIndexOf("/")) === group;
}

export const rbacGroup = "rbac.authorization.k8s.io";

/** The value at a path of keys, or undefined where the path breaks off. */
export function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Props)[key];
    }
    return current;
}

export function stringAt(value: unknown, ...path: string[]): string | undefined {
    const found = at(value, ...path);
    return typeof found === "string" ? found : undefined;
}

export function stringsAt(value: unknown, ...path: string[]): string[] {
    const found = at(value, ...path);
    return Array.isArray(found) ? found.filter((s): s is string => typeof s === "string") : [];
}

export function objectsAt(value: unknown, ...path: string[]): Props[] {
    const found = at(value, ...path);
    return Array.isArray(found) ? found.filter((o): o is Props => o !== null && typeof o === "object") : [];
}

export function labelsOf(props: Props): Record<string, string> {
    const labels = at(props, "metadata", "labels");
    return labels !== null && typeof labels === "object" ? labels as Record<string, string> : {};
}

/**
 * A value that may not be known until `pulumi up` (the output of a resource still to be created),
 * or undefined; reading an unknown value through the SDK's proxy throws.
 */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) {
            return undefined;
        }
        throw e;
    }
}

/** `namespace/name`, or `name` for a cluster-scoped object; for messages. */
export function objectName(props: Props): string {
    // A name not known yet must not turn a violation into "cannot run in preview".
    const read = (key: string): string | null => {
        const value = known(() => stringAt(props, "metadata", key) ?? null);
        return value === undefined ? "(known after update)" : value;
    };
    const [namespace, name] = [read("namespace"), read("name") ?? "(unnamed)"];
    return namespace === null ? name : `${namespace}/${name}`;
}
