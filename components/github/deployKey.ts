import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

export interface GenerationDeployKeyArgs {
    /** The repository the key opens. */
    readonly repository: pulumi.Input<string>;
    /** Title of generation 1 as GitHub shows it; later generations add `(key N)`. */
    readonly title: string;
    /** The public half of the generation's keypair, in OpenSSH form. */
    readonly publicKey: pulumi.Input<string>;
    /** The keypair's generation (`keyVersion`), from 1. */
    readonly generation: number;
    /** Whether the Flux using the key pushes; only then is the key write-enabled. */
    readonly writable: boolean;
    /** What must exist first (an adopted repo's key names the repo by a plain string). */
    readonly after?: readonly pulumi.Resource[];
}

/**
 * The name of a generation's deploy key. Generation 1 keeps the name every stack has had since
 * before rotation existed; every later generation has its own, so that a rotation is a new
 * resource next to the old one rather than a replacement of it.
 */
export function deployKeyName(name: string, generation: number): string {
    return generation === 1 ? `${name}-deploy-key` : `${name}-deploy-key-v${generation}`;
}

/**
 * Registers one generation of a repo's keypair as a deploy key, the new key always before the old
 * one goes (`deleteBeforeReplace: false`, which wins over the provider's delete-first answer).
 * GitHub holds a public key once, so this needs every replacement to bring a new public key: a
 * rotation is a new keypair, and so is a change of write access (GitHubRepo's replacement
 * trigger). A later generation accepts the generation-1 name as an alias, for stacks that rotated
 * when every generation sat under that name. Evidence: docs/github.md, "Deploy keys".
 */
export function generationDeployKey(name: string, args: GenerationDeployKeyArgs, parent: pulumi.Resource): github.RepositoryDeployKey {
    const later = args.generation > 1;
    return new github.RepositoryDeployKey(deployKeyName(name, args.generation), {
        repository: args.repository,
        // The two generations live side by side during a rotation; the titles tell them apart.
        title: later ? `${args.title} (key ${args.generation})` : args.title,
        key: args.publicKey,
        readOnly: !args.writable,
    }, { parent, deleteBeforeReplace: false, dependsOn: [...args.after ?? []], ...(later ? { aliases: [{ name: deployKeyName(name, 1) }] } : {}) });
}
