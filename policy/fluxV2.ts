// Reading Flux v2 objects: the Kustomizations and the FluxInstance, by their API groups, and the
// accounts tenant Kustomizations impersonate.
import { isKind, known, Props, stringAt } from "./kubernetes";
import { systemNamespace } from "./platform";

/** Flux's Kustomization API group (kustomize-controller), any version. */
export const kustomizeGroup = "kustomize.toolkit.fluxcd.io";
/** Flux's source API group (source-controller), any version. */
export const sourceGroup = "source.toolkit.fluxcd.io";
/** The Flux Operator's API group, where the FluxInstance lives. */
export const fluxOperatorGroup = "fluxcd.controlplane.io";

export function isKustomization(type: string): boolean {
    return isKind(type, kustomizeGroup, "Kustomization");
}

export function isGitRepository(type: string): boolean {
    return isKind(type, sourceGroup, "GitRepository");
}

export function isFluxInstance(type: string): boolean {
    return isKind(type, fluxOperatorGroup, "FluxInstance");
}

/**
 * A Kustomization's namespace: a string, `null` when it sets none, undefined when it is not
 * known until `pulumi up`.
 */
export function namespaceOf(props: Props): string | null | undefined {
    return known(() => stringAt(props, "metadata", "namespace") ?? null);
}

/** A tenant's Kustomization: one outside the system namespace (or with none: the provider's default namespace). */
export function isTenantKustomization(props: Props): boolean {
    return namespaceOf(props) !== systemNamespace;
}

/** The account a Kustomization impersonates, when it names one that is known now. */
export function impersonatedAccount(props: Props): { readonly namespace: string; readonly name: string } | undefined {
    const namespace = namespaceOf(props);
    const name = known(() => stringAt(props, "spec", "serviceAccountName"));
    return typeof namespace === "string" && name ? { namespace, name } : undefined;
}
