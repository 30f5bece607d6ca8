using 'main.bicep'

param clusterName = 'aks-prod'
param enableAzureRbac = false  // expect: AUTH004
param adminGroupObjectIds = [
  'd07c3e5a-9f42-4b18-a6e3-5c2b8f9d0e71'
]
