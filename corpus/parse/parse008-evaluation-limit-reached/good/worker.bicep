// expect: none
param index int
param regions array

module network 'network.bicep' = {
  name: 'network-${index}'
  params: {
    regions: concat(regions, ['uksouth'])
  }
}
