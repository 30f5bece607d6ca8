using 'main.bicep'

param clusterName = 'aks-test'
// The profile lacks `managed: true`: reported here, where it is written.
param entraId = {  // expect: AUTH003
  enableAzureRBAC: true
  adminGroupObjectIDs: [
    '5e2c8b71-0a4d-4f93-8c16-b9e07d3a2f48'
  ]
}
