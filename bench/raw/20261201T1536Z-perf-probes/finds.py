import re, sys
t=open(sys.argv[1],errors='replace').read()
for m in re.finditer(r"<task compile_id='(\d+)'( compile_kind='osr')? method='([^']*)'[^>]*>(.*?)</task>", t, re.S):
    if 'VectorTiles' not in m.group(3): continue
    body=m.group(4)
    ids=set(re.findall(r"<method id='(\d+)' holder='\d+' name='find'",body))
    n=sum(len(re.findall(r"<call method='%s'"%i,body)) for i in ids)
    tr=len(re.findall(r"<observe trap='class_check' count='0'",body))
    print(m.group(3).split(' ')[0].split('.')[-1][-3:], m.group(3).split(' ')[1], 'osr' if m.group(2) else '', "find-calls", n, "crossed", tr, "level", re.search(r"level='(\d)'", t[m.start()-3000:m.start()] ) and '')
