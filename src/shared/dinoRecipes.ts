// DINO's two recipes (METHODS.md, "DINO"): the one place their names and descriptions live, for the
// training panel, the CLI's --dino-preset and the core's presets (dinoPresets.ts). Plain TypeScript.

export const DINO_RECIPES = [
  {
    id: 'official',
    label: "DINO authors' recipe",
    detail:
      'facebookresearch/dino main_dino.py: AdamW for a ViT, SGD for a ResNet, 0.996 → 1 teacher momentum',
  },
  {
    id: 's4mi',
    label: 'As S4MI ran it',
    detail: 'lucidrains/vit-pytorch Dino through CASS’s code: Adam 3e-4, teacher and centre EMAs 0.9',
  },
] as const

export type DinoRecipe = (typeof DINO_RECIPES)[number]['id']

export const isDinoRecipe = (value: unknown): value is DinoRecipe => DINO_RECIPES.some((r) => r.id === value)
