// Parameters for the evaluator's fixture project (written for akslint's tests).
using './main.bicep'

param clusterName = 'aks-prod'
param enableRbac = true
param aad = {
  managed: true
  adminGroupObjectIDs: [
    'group-1'
  ]
}
param adminPassword = readEnvironmentVariable('ADMIN_PASSWORD', '')
