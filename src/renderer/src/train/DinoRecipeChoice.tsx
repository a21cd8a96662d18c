import { DINO_RECIPES, type DinoRecipe } from '../../../shared/dinoRecipes'

/** Which of DINO's two recipes a run uses: its authors', or the one S4MI ran. */
export function DinoRecipeChoice({
  value,
  onChange,
}: {
  value: DinoRecipe
  onChange(value: DinoRecipe): void
}) {
  const chosen = DINO_RECIPES.find((r) => r.id === value) ?? DINO_RECIPES[0]
  return (
    <label className="field">
      <span>DINO recipe</span>
      <select aria-label="DINO recipe" value={value} onChange={(e) => onChange(e.target.value as DinoRecipe)}>
        {DINO_RECIPES.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
      <small className="muted">{chosen.detail}</small>
    </label>
  )
}
