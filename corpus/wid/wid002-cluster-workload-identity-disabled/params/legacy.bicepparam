using 'main.bicep'

param clusterName = 'aks-legacy-apps'
// The apps here still use client secrets.
param workloadIdentity = false  // expect: WID002
