// A component whose type was renamed keeps its resources: the old type is an alias of the new,
// and its children's URNs follow their parent's alias (docs/architecture.md, "Resource identity").
import * as pulumi from "@pulumi/pulumi";

/** `opts` with the component's earlier type as an alias. */
export function renamedFrom(type: string, opts?: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions {
    return { ...opts, aliases: [...opts?.aliases ?? [], { type }] };
}
