import {
  BACKBONES,
  CASS_BACKBONE_PAIRS,
  CLASSIFIER_BACKBONES,
  type ClassifierBackbone,
} from '../../../shared/classifierBackbones'

/**
 * The classification backbone: one network for the supervised baseline and DINO, a CNN + Transformer pair
 * for CASS. 'preset' follows the preset (quick: the small ones; paper: ResNet-50, and ViT-B/16 for CASS).
 */
export function BackboneChoice({
  cass,
  value,
  onChange,
}: {
  cass: boolean
  value: string
  onChange(value: string): void
}) {
  const label = (b: ClassifierBackbone) => BACKBONES[b].label
  const options = cass
    ? CASS_BACKBONE_PAIRS.map((pair) => {
        const [cnn, vit] = pair.split('+') as [ClassifierBackbone, ClassifierBackbone]
        return { value: pair, text: `${label(cnn)} + ${label(vit)}` }
      })
    : CLASSIFIER_BACKBONES.map((b) => ({
        value: b,
        text: `${label(b)}${BACKBONES[b].imagenet ? `, ${BACKBONES[b].imageSize} px, from ImageNet weights if imported` : ''}`,
      }))
  return (
    <label className="field">
      <span>{cass ? 'CNN and Transformer' : 'Backbone'}</span>
      <select aria-label="Backbone" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="preset">
          {cass
            ? 'As the preset says (quick: small ResNet + small ViT; paper: ResNet-50 + ViT-B/16)'
            : 'As the preset says (quick: small ResNet; paper: ResNet-50)'}
        </option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
      <small className="muted">
        Without imported ImageNet weights (Settings → weights, or s4mi weights import) a backbone starts from
        random weights; the run says so.
      </small>
    </label>
  )
}
