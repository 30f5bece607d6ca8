// expect: none
using 'good.bicep'

param clusterName = 'aks-staging'
param pools = [
  { name: 'system', count: 2, zones: ['1', '2'] }
]
param deployDiagnostics = true
