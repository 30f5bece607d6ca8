// expect: none
param regions array

output count int = length(regions)
