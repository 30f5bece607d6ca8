// The budget of the deployment of level0.bicep runs out at the eighth level's second call.
// Level 7 calls level 8 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level8.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level8.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }  // expect: PARSE008
}
