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
 * Registers one generation of a repo's keypair as a deploy key.
 *
 * Why a resource per generation: every field of a deploy key forces a new one
 * (terraform-provider-github v6.13.0 github/resource_github_repository_deploy_key.go: `key`,
 * `read_only`, `repository` and `title` are all `ForceNew`), and the bridge marks its replacement
 * delete-before-replace (pulumi-github v6.15.0 provider/resources.go, `github_repository_deploy_key`:
 * `DeleteBeforeReplace: true`). A rotation that replaced one resource would therefore delete the
 * old key before registering the new one: a window with no key on the repo, and none at all if the
 * creation fails. As a new resource, the new generation is created while the program runs and
 * the old one, no longer in the program, is deleted only after every create and update has
 * succeeded (pulumi v3.248.0 pkg/resource/deploy/deployment_executor.go `performPostSteps`: the
 * deletions of resources the program no longer registers are generated once the program has
 * finished registering).
 *
 * Stacks that rotated before this scheme hold their current generation under the generation-1
 * name. A later generation therefore accepts that name as an alias: for those stacks it is the
 * same key, unchanged; GitHub would refuse to register the same public key a second time. For a
 * stack whose generation-1 key sits under that name, the alias makes a rotation to generation 2
 * a replacement, so later generations override the provider's delete-before-replace: the
 * engine lets `deleteBeforeReplace: false` win over the provider's answer (step_generator.go,
 * "The user can override the provider's decision"), and the new key is then created before the
 * old one is deleted. Generation 1 keeps the provider's default, since its other changes
 * (read-only to writable) keep the same public key, which GitHub will not hold twice.
 */
export function generationDeployKey(name: string, args: GenerationDeployKeyArgs, parent: pulumi.Resource): github.RepositoryDeployKey {
    const later = args.generation > 1;
    return new github.RepositoryDeployKey(deployKeyName(name, args.generation), {
        repository: args.repository,
        // The two generations live side by side during a rotation; the titles tell them apart.
        title: later ? `${args.title} (key ${args.generation})` : args.title,
        key: args.publicKey,
        readOnly: !args.writable,
    }, later
        ? { parent, aliases: [{ name: deployKeyName(name, 1) }], deleteBeforeReplace: false }
        : { parent });
}
