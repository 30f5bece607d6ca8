using 'main.bicep'

param clusterName = 'aks-staging'
param entraId = {
  managed: false  // expect: AUTH003
  enableAzureRBAC: true
}
