// expect: none
using 'main.bicep'

param clusterName = 'aks-prod'
param disableLocalAccounts = true
