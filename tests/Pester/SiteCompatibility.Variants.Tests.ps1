# Test-AlexaSiteCompatibility on variant renderings of "Review Voice History": it opens every filter
# control (a select, a listbox, a menu, one combined menu), finds every date and device choice there,
# applies a custom date range as the page asks for it ("Apply" or Enter) and sees the page's own data
# request follow. The seeds are chosen so that every rendering of the filters is covered; the soak
# runs this file on each of its seeds (ALEXAPRIVACY_TEST_VARIANT).
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # ALEXAPRIVACY_TEST_SEEDS (comma-separated) or ALEXAPRIVACY_TEST_VARIANT choose the seeds. Otherwise
    # the replica is asked for the freedoms of seeds 1..200, and seeds are taken until every choice of every
    # freedom of the voice history filters (their layout, each control, the date fields, how a range is
    # confirmed), and every way of confirming a range with each kind of date field and each way of
    # redrawing the view (all three together), is rendered by one of them.
    $seedList = if ($env:ALEXAPRIVACY_TEST_SEEDS) { @($env:ALEXAPRIVACY_TEST_SEEDS -split ',' | ForEach-Object { [int]$_ }) }
    elseif ($env:ALEXAPRIVACY_TEST_VARIANT) { @([int]$env:ALEXAPRIVACY_TEST_VARIANT) }
    else {
        $survey = Start-TestReplica
        try {
            $renders = @{}
            foreach ($seed in 1..200) {
                $f = (Invoke-ReplicaAdmin $survey -Method PUT -Path '/__replica/variant' -Body @{ seed = $seed }).freedoms
                # What the filters look like under this seed: a freedom that the layout leaves unused is left out.
                $combined = $f.filterLayout -eq 'combined'
                $renders[$seed] = @(foreach ($p in $f.PSObject.Properties) {
                    if ($p.Name -notmatch 'filter|date|range|apply|confirm') { continue }
                    if ($combined -and $p.Name -in 'dateFilter', 'deviceFilter') { continue }
                    if (-not $combined -and $p.Name -eq 'combinedFilter') { continue }
                    "$($p.Name)=$($p.Value)"
                })
                # How a range is confirmed, with which date fields and how the view is drawn again, together: a
                # text field that takes its date on change, under a view drawn whole anew, loses the other date.
                $renders[$seed] += "customRange=$($f.customRange)&dateInputs=$($f.dateInputs)&rerender=$($f.rerender)"

            }
            $null = Invoke-ReplicaAdmin $survey -Method PUT -Path '/__replica/variant' -Body @{ seed = $null }
        }
        finally { Stop-TestReplica $survey }
        $wanted = [Collections.Generic.HashSet[string]]::new([string[]]@($renders.Values | ForEach-Object { $_ }))
        $chosen = [Collections.Generic.List[int]]::new()
        while ($wanted.Count -gt 0) {
            $best = $renders.Keys | Sort-Object | Sort-Object { @($renders[$_] | Where-Object { $wanted.Contains($_) }).Count } -Descending -Stable | Select-Object -First 1
            foreach ($r in $renders[$best]) { $null = $wanted.Remove($r) }
            $chosen.Add($best)
        }
        @($chosen)
    }
    $script:SeedCases = foreach ($s in $seedList) { @{ Seed = $s } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = Join-Path $TestDrive 'diagnostics'
    # What the voice history check must report on a page that renders the contract faithfully.
    $script:VoiceHistoryRows = @('voiceHistory.heading', 'voiceHistory.filterToday', 'voiceHistory.filterYesterday', 'voiceHistory.filterLast7Days',
        'voiceHistory.filterLast30Days', 'voiceHistory.filterAllHistory', 'voiceHistory.filterCustom', 'voiceHistory.allDevices',
        'voiceHistory.deleteAll', 'voiceHistory.startDate', 'voiceHistory.endDate', 'voiceHistory.customRange')
    # The seven days before today, as the check asks for them.
    $script:RangeText = 'Custom {0:yyyy-MM-dd} to {1:yyyy-MM-dd}' -f (Get-Date).Date.AddDays(-7), (Get-Date).Date.AddDays(-1)
}

AfterAll {
    Remove-Item Env:ALEXAPRIVACY_DIAGNOSTICS_PATH -ErrorAction SilentlyContinue
    Get-Module AlexaPrivacy | Remove-Module -Force
}

Describe 'On variant seed <Seed>' -ForEach $SeedCases {
    BeforeAll {
        $script:Replica = Start-TestReplica -Arguments @('--variant', "$Seed")
        $script:Base = $Replica.BaseUri
        $freedoms = (Invoke-ReplicaAdmin $Replica -Path '/__replica/variant').freedoms
        Write-Host "Seed $Seed renders: $($freedoms | ConvertTo-Json -Compress)"
    }
    AfterAll { Stop-TestReplica $Replica }

    It 'opens every filter control, finds every choice and sees the page ask for the custom range (seed <Seed>)' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $checks = @(Test-AlexaSiteCompatibility -Session $t.Session -WarningAction SilentlyContinue)
        $checks | Where-Object { -not $_.Found } | ForEach-Object { "$($_.Page) $($_.Label) '$($_.Text)': $($_.Detail)" } | Should -BeNullOrEmpty
        $rows = @($checks | Where-Object Page -eq 'VoiceHistory')
        $rows.Label | Should -Be $VoiceHistoryRows
        ($rows | Where-Object Label -eq 'voiceHistory.customRange').Text | Should -Be $RangeText
        Disconnect-AlexaAccount -Session $t.Session
    }
}
