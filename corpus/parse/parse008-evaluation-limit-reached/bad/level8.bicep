// expect: none
// The last level takes the array and does nothing with it.
param items array
