/** The label fractions the paper reports (0–1): segmentation at all five, classification at 10 and 100 %. */
export const LABEL_FRACTIONS = [0.1, 0.3, 0.5, 0.7, 1] as const
