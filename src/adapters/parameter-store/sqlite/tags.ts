/** AddTagsToResource / ListTagsForResource / RemoveTagsFromResource on a parameter (at most 50 tags). */
import type { Tag } from "../../../ports/parameter-store.js";
import { requireResource } from "./names.js";
import type { StoreContext } from "./store-context.js";
import { checkTags, fail, MAX_TAGS } from "./validation.js";

export function addTagsToResource(ctx: StoreContext, name: string, tags: readonly Tag[]): void {
  checkTags(tags);
  ctx.db
    .transaction(() => {
      requireResource(ctx, name);
      for (const tag of tags) ctx.sql.upsertTag.run(ctx.ns, name, tag.key, tag.value);
      const count = ctx.sql.tagsOf.all(ctx.ns, name).length;
      if (count > MAX_TAGS) {
        fail("TooManyTagsError", `The resource ${name} would have ${count} tags; the limit is ${MAX_TAGS}.`);
      }
    })
    .immediate();
}

export function listTagsForResource(ctx: StoreContext, name: string): Tag[] {
  requireResource(ctx, name);
  return ctx.sql.tagsOf.all(ctx.ns, name).map((r) => ({ key: r.key, value: r.value }));
}

export function removeTagsFromResource(ctx: StoreContext, name: string, keys: readonly string[]): void {
  ctx.db
    .transaction(() => {
      requireResource(ctx, name);
      for (const key of keys) ctx.sql.deleteTag.run(ctx.ns, name, key);
    })
    .immediate();
}
